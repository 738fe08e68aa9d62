import { describe, it } from '@jest/globals';
import { specification } from '../testing/specification.js';
import { RuleViolation, UnknownEntity } from '../shared/errors.js';
import { participantDecider } from './participant.decider.js';
import {
  type CollectContribution,
  type EnrollParticipant,
  type ResumeParticipation,
} from './participant.commands.js';
import {
  type ContributionCollected,
  type ParticipantEnrolled,
  type ParticipantResumed,
  type ParticipantStopped,
} from './participant.events.js';
import { AlreadyEnrolled, NotEnrolled, ParticipationStopped } from './participation.errors.js';

const { given } = specification(participantDecider);

const subject = {
  participantId: 'P-031',
  scheme: 'voluntary-social-insurance' as const,
};
const byPostOffice = { organizationId: 'VNPOST-HP', agentId: 'A-1', pointId: 'P-LC-1' };
const nobody = { organizationId: null, agentId: null, pointId: null };

const enrolled: ParticipantEnrolled = {
  type: 'ParticipantEnrolled',
  data: {
    ...subject,
    unitId: 'HP-LC-1',
    ...byPostOffice,
    enrolledOn: '2024-09-05',
    paidUntil: '2024-09-30',
  },
};
const enroll = (change: Partial<EnrollParticipant> = {}): EnrollParticipant => ({
  type: 'EnrollParticipant',
  ...enrolled.data,
  ...change,
});
const collect = (change: Partial<CollectContribution> = {}): CollectContribution => ({
  type: 'CollectContribution',
  ...subject,
  ...nobody,
  amount: 1_485_000,
  periodFrom: '2024-10',
  periodTo: '2024-12',
  collectedOn: '2024-10-03',
  ...change,
});
const collected = (change: Partial<ContributionCollected['data']> = {}): ContributionCollected => ({
  type: 'ContributionCollected',
  data: {
    ...subject,
    unitId: 'HP-LC-1',
    ...byPostOffice,
    amount: 1_485_000,
    periodFrom: '2024-10',
    periodTo: '2024-12',
    collectedOn: '2024-10-03',
    previousPaidUntil: '2024-09-30',
    paidUntil: '2024-12-31',
    ...change,
  },
});
const stopped: ParticipantStopped = {
  type: 'ParticipantStopped',
  data: {
    ...subject,
    unitId: 'HP-LC-1',
    ...byPostOffice,
    reason: 'stopped-paying',
    stoppedOn: '2025-01-15',
    paidUntil: '2024-09-30',
  },
};
const resume = (change: Partial<ResumeParticipation> = {}): ResumeParticipation => ({
  type: 'ResumeParticipation',
  ...subject,
  ...nobody,
  resumedOn: '2025-03-01',
  paidUntil: '2025-05-31',
  ...change,
});
const resumed = (change: Partial<ParticipantResumed['data']> = {}): ParticipantResumed => ({
  type: 'ParticipantResumed',
  data: {
    ...subject,
    unitId: 'HP-LC-1',
    ...byPostOffice,
    resumedOn: '2025-03-01',
    paidUntil: '2025-05-31',
    ...change,
  },
});

describe('participant decider', () => {
  describe('enrolling', () => {
    it('enrolls a person in a scheme with the commune, organization, agent and point', () => {
      given([]).when(enroll()).then([enrolled]);
    });

    it('refuses to enroll a person already active in the scheme', () => {
      given([enrolled])
        .when(enroll({ enrolledOn: '2024-10-01' }))
        .thenThrows(
          AlreadyEnrolled,
          /already active in voluntary-social-insurance since 2024-09-05/,
        );
    });

    it('enrolls the same person in another scheme', () => {
      given([enrolled])
        .when(enroll({ scheme: 'health-insurance' }))
        .then([{ ...enrolled, data: { ...enrolled.data, scheme: 'health-insurance' } }]);
    });

    it('refuses coverage paid until before the enrollment', () => {
      given([])
        .when(enroll({ paidUntil: '2024-09-04' }))
        .thenThrows(RuleViolation, /paid until before enrollment/);
    });

    it('enrolls again after a stop, from the stop date on', () => {
      given([enrolled, stopped])
        .when(
          enroll({ unitId: 'CT-LM', ...nobody, enrolledOn: '2025-02-01', paidUntil: '2025-02-28' }),
        )
        .then([
          {
            type: 'ParticipantEnrolled',
            data: {
              ...subject,
              unitId: 'CT-LM',
              ...nobody,
              enrolledOn: '2025-02-01',
              paidUntil: '2025-02-28',
            },
          },
        ]);
      given([enrolled, stopped])
        .when(enroll({ enrolledOn: '2025-01-14' }))
        .thenThrows(RuleViolation, /stopped .* on 2025-01-15/);
    });
  });

  describe('collecting contributions', () => {
    it("extends coverage to the end of the period's last month, credited to the enrollment's agent", () => {
      given([enrolled]).when(collect()).then([collected()]);
    });

    it('credits the organization, agent and point the request names', () => {
      given([enrolled])
        .when(collect({ organizationId: 'COOP-1', agentId: 'A-9', pointId: null }))
        .then([collected({ organizationId: 'COOP-1', agentId: 'A-9', pointId: null })]);
    });

    it('keeps the enrollment point when the request names another agent of its organization', () => {
      given([enrolled])
        .when(collect({ organizationId: 'VNPOST-HP', agentId: 'A-2' }))
        .then([collected({ agentId: 'A-2' })]);
    });

    it('covers to the last day of February in a leap year', () => {
      const january = { enrolledOn: '2024-01-02', paidUntil: '2024-01-31' };
      given([{ ...enrolled, data: { ...enrolled.data, ...january } }])
        .when(collect({ periodFrom: '2024-02', periodTo: '2024-02', collectedOn: '2024-02-01' }))
        .then([
          collected({
            periodFrom: '2024-02',
            periodTo: '2024-02',
            collectedOn: '2024-02-01',
            previousPaidUntil: '2024-01-31',
            paidUntil: '2024-02-29',
          }),
        ]);
    });

    it('never shortens coverage already paid for', () => {
      given([enrolled, collected()])
        .when(collect({ periodFrom: '2024-11', periodTo: '2024-11', collectedOn: '2024-11-02' }))
        .then([
          collected({
            periodFrom: '2024-11',
            periodTo: '2024-11',
            collectedOn: '2024-11-02',
            previousPaidUntil: '2024-12-31',
            paidUntil: '2024-12-31',
          }),
        ]);
    });

    it('refuses a contribution for a scheme the participant is not enrolled in', () => {
      given([enrolled])
        .when(collect({ scheme: 'health-insurance' }))
        .thenThrows(NotEnrolled, /not enrolled in health-insurance/);
    });

    it('refuses a contribution for a participant never enrolled', () => {
      given([])
        .when(collect())
        .thenThrows(UnknownEntity, /Unknown participant 'P-031'/);
    });

    it('refuses a contribution from a participant who stopped', () => {
      given([enrolled, stopped])
        .when(collect({ collectedOn: '2025-02-01' }))
        .thenThrows(ParticipationStopped, /stopped .* on 2025-01-15/);
    });

    it.each([0, -100_000, 1.5])('refuses an amount of %p VND', (amount) => {
      given([enrolled])
        .when(collect({ amount }))
        .thenThrows(RuleViolation, /whole number/);
    });

    it('refuses a period that ends before it starts', () => {
      given([enrolled])
        .when(collect({ periodFrom: '2024-12', periodTo: '2024-10' }))
        .thenThrows(RuleViolation, /period cannot end before/);
    });

    it('refuses a contribution collected before the enrollment', () => {
      given([enrolled])
        .when(collect({ collectedOn: '2024-09-04' }))
        .thenThrows(RuleViolation, /only since 2024-09-05/);
    });
  });

  describe('stopping', () => {
    it("stops the participant, credited to the enrollment's organization, agent and point", () => {
      given([enrolled])
        .when({
          type: 'StopParticipation',
          ...subject,
          reason: 'stopped-paying',
          stoppedOn: '2025-01-15',
        })
        .then([stopped]);
    });

    it('refuses a stop for a participant who is not enrolled', () => {
      given([enrolled])
        .when({
          type: 'StopParticipation',
          ...subject,
          scheme: 'health-insurance',
          reason: 'moved-away',
          stoppedOn: '2025-01-15',
        })
        .thenThrows(NotEnrolled);
    });

    it('refuses to stop twice', () => {
      given([enrolled, stopped])
        .when({
          type: 'StopParticipation',
          ...subject,
          reason: 'deceased',
          stoppedOn: '2025-02-15',
        })
        .thenThrows(ParticipationStopped);
    });

    it('refuses a stop before the enrollment', () => {
      given([enrolled])
        .when({
          type: 'StopParticipation',
          ...subject,
          reason: 'moved-away',
          stoppedOn: '2024-09-04',
        })
        .thenThrows(RuleViolation, /since 2024-09-05: it cannot stop before/);
    });

    it('refuses a stop before the last resumption', () => {
      given([enrolled, stopped, resumed()])
        .when({
          type: 'StopParticipation',
          ...subject,
          reason: 'moved-away',
          stoppedOn: '2025-02-01',
        })
        .thenThrows(RuleViolation, /since 2025-03-01/);
    });
  });

  describe('resuming', () => {
    it("resumes a stopped participant, staying with the enrollment's organization", () => {
      given([enrolled, stopped]).when(resume()).then([resumed()]);
    });

    it('resumes with another organization, dropping the earlier agent and point', () => {
      given([enrolled, stopped])
        .when(resume({ organizationId: 'COOP-1' }))
        .then([resumed({ organizationId: 'COOP-1', agentId: null, pointId: null })]);
    });

    it('credits later contributions to the organization that resumed the participant', () => {
      given([
        enrolled,
        stopped,
        resumed({ organizationId: 'COOP-1', agentId: 'A-9', pointId: null }),
      ])
        .when(collect({ collectedOn: '2025-03-01', periodFrom: '2025-06', periodTo: '2025-06' }))
        .then([
          collected({
            organizationId: 'COOP-1',
            agentId: 'A-9',
            pointId: null,
            collectedOn: '2025-03-01',
            periodFrom: '2025-06',
            periodTo: '2025-06',
            previousPaidUntil: '2025-05-31',
            paidUntil: '2025-06-30',
          }),
        ]);
    });

    it('refuses to resume a participant who is active', () => {
      given([enrolled]).when(resume()).thenThrows(AlreadyEnrolled);
    });

    it('refuses to resume before the stop', () => {
      given([enrolled, stopped])
        .when(resume({ resumedOn: '2025-01-14' }))
        .thenThrows(RuleViolation, /it cannot resume before/);
    });

    it('refuses coverage paid until before the resumption', () => {
      given([enrolled, stopped])
        .when(resume({ paidUntil: '2025-02-28' }))
        .thenThrows(RuleViolation, /paid until before resumption/);
    });
  });
});
