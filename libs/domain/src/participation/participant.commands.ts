import { type LocalDate, type Month } from '../shared/local-date.js';
import { type Scheme } from '../shared/schemes.js';
import { type Attribution, type StopReason } from './participant.events.js';

export type EnrollParticipant = {
  type: 'EnrollParticipant';
  participantId: string;
  scheme: Scheme;
  unitId: string;
  enrolledOn: LocalDate;
  paidUntil: LocalDate;
} & Attribution;

/** Whom the request names; where it names no organization, the enrollment's attribution holds. */
export type CollectContribution = {
  type: 'CollectContribution';
  participantId: string;
  scheme: Scheme;
  amount: number;
  periodFrom: Month;
  periodTo: Month;
  collectedOn: LocalDate;
} & Attribution;

export type StopParticipation = {
  type: 'StopParticipation';
  participantId: string;
  scheme: Scheme;
  reason: StopReason;
  stoppedOn: LocalDate;
};

/** Whom the request names; where it names no organization, the enrollment's attribution holds. */
export type ResumeParticipation = {
  type: 'ResumeParticipation';
  participantId: string;
  scheme: Scheme;
  resumedOn: LocalDate;
  paidUntil: LocalDate;
} & Attribution;

export type ParticipantCommand =
  EnrollParticipant | CollectContribution | StopParticipation | ResumeParticipation;
