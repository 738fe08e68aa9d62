import { type DomainEvent } from '../shared/decider.js';
import { type LocalDate, type Month } from '../shared/local-date.js';

export const UNRECOVERABLE_REASONS = ['bankrupt', 'dissolved', 'absconded', 'missing'] as const;
export type UnrecoverableReason = (typeof UNRECOVERABLE_REASONS)[number];

/**
 * What the employer still owes after the event, in whole VND: `overdue` is everything overdue
 * and not paid or written off; `unrecoverable` is the part of it classified as unrecoverable.
 */
export type DebtBalance = { overdue: number; unrecoverable: number };

/** Who owes, repeated on every event so read models can total by unit without a lookup. */
export type Debtor = { employerId: string; employerName: string; unitId: string };

export type ArrearsFigures = { amountDue: number; amountOverdue: number };

/** An employer's arrears for one contribution period; recording the period again restates it. */
export type ArrearsRecorded = DomainEvent<
  'ArrearsRecorded',
  Debtor &
    ArrearsFigures & {
      period: Month;
      recordedOn: LocalDate;
      /** The figures this restatement replaces; null the first time the period is recorded. */
      previous: ArrearsFigures | null;
      balance: DebtBalance;
    }
>;

export type ArrearsPaid = DomainEvent<
  'ArrearsPaid',
  Debtor & { amount: number; paidOn: LocalDate; balance: DebtBalance }
>;

export type ArrearsClassifiedUnrecoverable = DomainEvent<
  'ArrearsClassifiedUnrecoverable',
  Debtor & {
    reason: UnrecoverableReason;
    amount: number;
    classifiedOn: LocalDate;
    balance: DebtBalance;
  }
>;

export type ArrearsWrittenOff = DomainEvent<
  'ArrearsWrittenOff',
  Debtor & { amount: number; decisionRef: string; writtenOffOn: LocalDate; balance: DebtBalance }
>;

export type DebtEvent =
  ArrearsRecorded | ArrearsPaid | ArrearsClassifiedUnrecoverable | ArrearsWrittenOff;
