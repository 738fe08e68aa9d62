import { type Decider } from '../shared/decider.js';
import { RuleViolation, UnknownEntity } from '../shared/errors.js';
import { type LocalDate, endOfMonth } from '../shared/local-date.js';
import { type Scheme } from '../shared/schemes.js';
import { inherit } from './attribution.js';
import {
  type CollectContribution,
  type EnrollParticipant,
  type ParticipantCommand,
  type ResumeParticipation,
  type StopParticipation,
} from './participant.commands.js';
import { type Attribution, type ParticipantEvent } from './participant.events.js';
import { AlreadyEnrolled, NotEnrolled, ParticipationStopped } from './participation.errors.js';

export type Enrollment = Attribution & {
  status: 'active' | 'stopped';
  unitId: string;
  enrolledOn: LocalDate;
  /** The day it last became active: enrolled or resumed. */
  activeSince: LocalDate;
  paidUntil: LocalDate;
  stoppedOn: LocalDate | null;
};

/** One person across every scheme: at most one enrollment per scheme. */
export type Participant = {
  participantId: string | null;
  enrollments: Partial<Record<Scheme, Enrollment>>;
};

export const participantStream = (participantId: string) => `participant-${participantId}`;

function attributionOf({ organizationId, agentId, pointId }: Attribution): Attribution {
  return { organizationId, agentId, pointId };
}

function enroll(command: EnrollParticipant, current: Enrollment | undefined): ParticipantEvent[] {
  const { participantId, scheme, unitId, enrolledOn, paidUntil } = command;
  if (current?.status === 'active') {
    throw new AlreadyEnrolled(participantId, scheme, current.activeSince);
  }
  if (current?.stoppedOn && enrolledOn < current.stoppedOn) {
    throw new RuleViolation(
      `Participant '${participantId}' stopped ${scheme} on ${current.stoppedOn}: ` +
        'a new enrollment cannot start before',
      'enrolledOn',
    );
  }
  if (paidUntil < enrolledOn) {
    throw new RuleViolation('Coverage cannot be paid until before enrollment', 'paidUntil');
  }
  return [
    {
      type: 'ParticipantEnrolled',
      data: {
        participantId,
        scheme,
        unitId,
        ...attributionOf(command),
        enrolledOn,
        paidUntil,
      },
    },
  ];
}

function collect(command: CollectContribution, enrollment: Enrollment): ParticipantEvent[] {
  const { participantId, scheme, amount, periodFrom, periodTo, collectedOn } = command;
  if (enrollment.stoppedOn) {
    throw new ParticipationStopped(participantId, scheme, enrollment.stoppedOn);
  }
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new RuleViolation('A contribution is a whole number of VND greater than 0', 'amount');
  }
  if (periodTo < periodFrom) {
    throw new RuleViolation('The period cannot end before it starts', 'periodTo');
  }
  if (collectedOn < enrollment.activeSince) {
    throw new RuleViolation(
      `Participant '${participantId}' is active in ${scheme} only since ${enrollment.activeSince}`,
      'collectedOn',
    );
  }
  const coveredUntil = endOfMonth(periodTo);
  return [
    {
      type: 'ContributionCollected',
      data: {
        participantId,
        scheme,
        unitId: enrollment.unitId,
        ...inherit(command, enrollment),
        amount,
        periodFrom,
        periodTo,
        collectedOn,
        previousPaidUntil: enrollment.paidUntil,
        paidUntil: coveredUntil > enrollment.paidUntil ? coveredUntil : enrollment.paidUntil,
      },
    },
  ];
}

function stop(command: StopParticipation, enrollment: Enrollment): ParticipantEvent[] {
  const { participantId, scheme, reason, stoppedOn } = command;
  if (enrollment.stoppedOn) {
    throw new ParticipationStopped(participantId, scheme, enrollment.stoppedOn);
  }
  if (stoppedOn < enrollment.activeSince) {
    throw new RuleViolation(
      `Participant '${participantId}' is active in ${scheme} since ${enrollment.activeSince}: ` +
        'it cannot stop before',
      'stoppedOn',
    );
  }
  return [
    {
      type: 'ParticipantStopped',
      data: {
        participantId,
        scheme,
        unitId: enrollment.unitId,
        ...attributionOf(enrollment),
        reason,
        stoppedOn,
        paidUntil: enrollment.paidUntil,
      },
    },
  ];
}

function resume(command: ResumeParticipation, enrollment: Enrollment): ParticipantEvent[] {
  const { participantId, scheme, resumedOn, paidUntil } = command;
  if (!enrollment.stoppedOn) {
    throw new AlreadyEnrolled(participantId, scheme, enrollment.activeSince);
  }
  if (resumedOn < enrollment.stoppedOn) {
    throw new RuleViolation(
      `Participant '${participantId}' stopped ${scheme} on ${enrollment.stoppedOn}: ` +
        'it cannot resume before',
      'resumedOn',
    );
  }
  if (paidUntil < resumedOn) {
    throw new RuleViolation('Coverage cannot be paid until before resumption', 'paidUntil');
  }
  return [
    {
      type: 'ParticipantResumed',
      data: {
        participantId,
        scheme,
        unitId: enrollment.unitId,
        ...inherit(command, enrollment),
        resumedOn,
        paidUntil,
      },
    },
  ];
}

function decide(command: ParticipantCommand, participant: Participant): ParticipantEvent[] {
  const enrollment = participant.enrollments[command.scheme];
  if (command.type === 'EnrollParticipant') return enroll(command, enrollment);
  if (!enrollment) {
    if (participant.participantId === null) {
      throw new UnknownEntity('participant', command.participantId, 'participantId');
    }
    throw new NotEnrolled(command.participantId, command.scheme);
  }
  switch (command.type) {
    case 'CollectContribution':
      return collect(command, enrollment);
    case 'StopParticipation':
      return stop(command, enrollment);
    case 'ResumeParticipation':
      return resume(command, enrollment);
  }
}

function evolve(participant: Participant, event: ParticipantEvent): Participant {
  const { participantId, scheme } = event.data;
  const current = participant.enrollments[scheme];
  const next = (enrollment: Enrollment): Participant => ({
    participantId,
    enrollments: { ...participant.enrollments, [scheme]: enrollment },
  });
  if (event.type === 'ParticipantEnrolled') {
    const { unitId, enrolledOn, paidUntil } = event.data;
    return next({
      status: 'active',
      unitId,
      ...attributionOf(event.data),
      enrolledOn,
      activeSince: enrolledOn,
      paidUntil,
      stoppedOn: null,
    });
  }
  if (!current) return participant;
  switch (event.type) {
    case 'ContributionCollected':
      return next({ ...current, paidUntil: event.data.paidUntil });
    case 'ParticipantStopped':
      return next({ ...current, status: 'stopped', stoppedOn: event.data.stoppedOn });
    case 'ParticipantResumed':
      return next({
        ...current,
        ...attributionOf(event.data),
        status: 'active',
        activeSince: event.data.resumedOn,
        paidUntil: event.data.paidUntil,
        stoppedOn: null,
      });
  }
}

export const participantDecider: Decider<ParticipantCommand, ParticipantEvent, Participant> = {
  initialState: { participantId: null, enrollments: {} },
  decide,
  evolve,
};
