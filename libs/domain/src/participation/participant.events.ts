import { type DomainEvent } from '../shared/decider.js';
import { type LocalDate, type Month } from '../shared/local-date.js';
import { type Scheme } from '../shared/schemes.js';

export const STOP_REASONS = [
  'moved-away',
  'stopped-paying',
  'joined-compulsory',
  'deceased',
  'other',
] as const;

export type StopReason = (typeof STOP_REASONS)[number];

/** Whom a fact about a participant is credited to: null where nobody is named. */
export type Attribution = {
  organizationId: string | null;
  agentId: string | null;
  pointId: string | null;
};

/** Every fact names the participant's commune and scheme, so projections need no other stream. */
type ParticipantFact<Data> = {
  participantId: string;
  scheme: Scheme;
  unitId: string;
} & Attribution &
  Data;

export type ParticipantEnrolled = DomainEvent<
  'ParticipantEnrolled',
  ParticipantFact<{ enrolledOn: LocalDate; paidUntil: LocalDate }>
>;

/** Credited to whoever collected it; `paidUntil` is the coverage it leaves, `previousPaidUntil` the coverage before. */
export type ContributionCollected = DomainEvent<
  'ContributionCollected',
  ParticipantFact<{
    /** Whole VND. */
    amount: number;
    periodFrom: Month;
    periodTo: Month;
    collectedOn: LocalDate;
    previousPaidUntil: LocalDate;
    paidUntil: LocalDate;
  }>
>;

/** Credited to the enrollment's organization, agent and point: the ones that lost the participant. */
export type ParticipantStopped = DomainEvent<
  'ParticipantStopped',
  ParticipantFact<{ reason: StopReason; stoppedOn: LocalDate; paidUntil: LocalDate }>
>;

export type ParticipantResumed = DomainEvent<
  'ParticipantResumed',
  ParticipantFact<{ resumedOn: LocalDate; paidUntil: LocalDate }>
>;

export type ParticipantEvent =
  ParticipantEnrolled | ContributionCollected | ParticipantStopped | ParticipantResumed;
