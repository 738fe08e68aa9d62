import { type LocalDate } from '../shared/local-date.js';
import { type Scheme } from '../shared/schemes.js';

export type ReportParticipation = {
  type: 'ReportParticipation';
  unitId: string;
  scheme: Scheme;
  date: LocalDate;
  gains: number;
  stops: number;
};

export type CorrectParticipationReport = {
  type: 'CorrectParticipationReport';
  unitId: string;
  scheme: Scheme;
  date: LocalDate;
  gains: number;
  stops: number;
  reason: string;
  /** When the correction was made: its business time, on or after the corrected date. */
  correctedOn: LocalDate;
};

export type RecordOpeningStock = {
  type: 'RecordOpeningStock';
  unitId: string;
  scheme: Scheme;
  date: LocalDate;
  participants: number;
};

export type UnitParticipationCommand =
  ReportParticipation | CorrectParticipationReport | RecordOpeningStock;
