import { type LocalDate, type Month } from '../shared/local-date.js';
import { type UnrecoverableReason } from './debt.events.js';

export type RecordArrears = {
  type: 'RecordArrears';
  employerId: string;
  employerName: string;
  unitId: string;
  period: Month;
  amountDue: number;
  amountOverdue: number;
  recordedOn: LocalDate;
};

export type PayArrears = {
  type: 'PayArrears';
  employerId: string;
  amount: number;
  paidOn: LocalDate;
};

export type ClassifyArrearsUnrecoverable = {
  type: 'ClassifyArrearsUnrecoverable';
  employerId: string;
  reason: UnrecoverableReason;
  amount: number;
  classifiedOn: LocalDate;
};

export type WriteOffArrears = {
  type: 'WriteOffArrears';
  employerId: string;
  amount: number;
  decisionRef: string;
  writtenOffOn: LocalDate;
};

export type DebtCommand =
  RecordArrears | PayArrears | ClassifyArrearsUnrecoverable | WriteOffArrears;
