import { type DomainEvent } from '../shared/decider.js';
import { type LocalDate } from '../shared/local-date.js';
import { type Scheme } from '../shared/schemes.js';

/** People who joined and who left a scheme in a unit on a date, as an office reports them. */
export type ParticipationReported = DomainEvent<
  'ParticipationReported',
  { unitId: string; scheme: Scheme; date: LocalDate; gains: number; stops: number }
>;

/** New figures for a date already reported; the previous ones stay in the event and the log. */
export type ParticipationReportCorrected = DomainEvent<
  'ParticipationReportCorrected',
  {
    unitId: string;
    scheme: Scheme;
    date: LocalDate;
    gains: number;
    stops: number;
    previousGains: number;
    previousStops: number;
    reason: string;
    correctedOn: LocalDate;
  }
>;

/** How many participated at the end of `date`: the base later reports add to and take from. */
export type OpeningStockRecorded = DomainEvent<
  'OpeningStockRecorded',
  { unitId: string; scheme: Scheme; date: LocalDate; participants: number }
>;

export type UnitParticipationEvent =
  ParticipationReported | ParticipationReportCorrected | OpeningStockRecorded;
