import { describe, expect, it } from '@jest/globals';
import { fold } from '../shared/decider.js';
import { RuleViolation, StateConflict, UnknownEntity } from '../shared/errors.js';
import { specification } from '../testing/specification.js';
import { type RecordArrears } from './debt.commands.js';
import { type IndebtedEmployer, debtDecider, recoverable } from './debt.decider.js';
import { type DebtEvent, type Debtor } from './debt.events.js';

const { given } = specification(debtDecider);

const debtor: Debtor = { employerId: 'DN-0042', employerName: 'Tin Nghia Co.', unitId: 'DN' };
// Dong Nai, December 2025: over 1.1 trillion VND overdue, 134 billion of it unrecoverable.
const due = 79_000_000_000_123;
const overdue = 1_100_000_000_007;
const record: RecordArrears = {
  type: 'RecordArrears',
  ...debtor,
  period: '2025-11',
  amountDue: due,
  amountOverdue: overdue,
  recordedOn: '2025-12-05',
};
const recorded: DebtEvent = {
  type: 'ArrearsRecorded',
  data: {
    ...debtor,
    period: '2025-11',
    amountDue: due,
    amountOverdue: overdue,
    recordedOn: '2025-12-05',
    previous: null,
    balance: { overdue, unrecoverable: 0 },
  },
};
const classified: DebtEvent = {
  type: 'ArrearsClassifiedUnrecoverable',
  data: {
    ...debtor,
    reason: 'bankrupt',
    amount: 134_000_000_001,
    classifiedOn: '2025-12-10',
    balance: { overdue, unrecoverable: 134_000_000_001 },
  },
};

describe('debt decider', () => {
  it('records an employer’s arrears for a period, exact to the dong', () => {
    given([]).when(record).then([recorded]);
  });

  it('restates a period, keeping the previous figures in the event', () => {
    given([recorded])
      .when({ ...record, amountOverdue: overdue - 7, recordedOn: '2025-12-20' })
      .then([
        {
          type: 'ArrearsRecorded',
          data: {
            ...recorded.data,
            amountOverdue: overdue - 7,
            recordedOn: '2025-12-20',
            previous: { amountDue: due, amountOverdue: overdue },
            balance: { overdue: overdue - 7, unrecoverable: 0 },
          },
        } as DebtEvent,
      ]);
  });

  it('adds a second period to the balance', () => {
    given([recorded])
      .when({ ...record, period: '2025-10', amountDue: 10, amountOverdue: 3 })
      .then([
        {
          type: 'ArrearsRecorded',
          data: {
            ...recorded.data,
            period: '2025-10',
            amountDue: 10,
            amountOverdue: 3,
            balance: { overdue: overdue + 3, unrecoverable: 0 },
          },
        } as DebtEvent,
      ]);
  });

  it('refuses to record the same figures for a period twice', () => {
    given([recorded])
      .when(record)
      .thenThrows(StateConflict, /already recorded/);
  });

  it('refuses an amount overdue above the amount due', () => {
    given([])
      .when({ ...record, amountOverdue: due + 1 })
      .thenThrows(RuleViolation, /cannot exceed the amount due/);
  });

  it('refuses arrears for a period after the date they are recorded', () => {
    given([])
      .when({ ...record, period: '2026-01' })
      .thenThrows(RuleViolation, /before the period/);
  });

  it('refuses a restatement below what is already classified unrecoverable', () => {
    given([recorded, classified])
      .when({ ...record, amountOverdue: 1_000 })
      .thenThrows(RuleViolation, /less overdue/);
  });

  it('records a payment with the debtor and the balance after it', () => {
    given([recorded])
      .when({ type: 'PayArrears', employerId: 'DN-0042', amount: 7, paidOn: '2025-12-15' })
      .then([
        {
          type: 'ArrearsPaid',
          data: {
            ...debtor,
            amount: 7,
            paidOn: '2025-12-15',
            balance: { overdue: 1_100_000_000_000, unrecoverable: 0 },
          },
        },
      ]);
  });

  it('refuses a payment above the recoverable overdue outstanding', () => {
    given([recorded, classified])
      .when({
        type: 'PayArrears',
        employerId: 'DN-0042',
        amount: overdue - 134_000_000_001 + 1,
        paidOn: '2025-12-15',
      })
      .thenThrows(
        RuleViolation,
        /exceeds the recoverable overdue outstanding \(966,000,000,006 VND\)/,
      );
  });

  it('refuses a payment of nothing', () => {
    given([recorded])
      .when({ type: 'PayArrears', employerId: 'DN-0042', amount: 0, paidOn: '2025-12-15' })
      .thenThrows(RuleViolation, /greater than 0/);
  });

  it('refuses a payment from an employer with no recorded arrears', () => {
    given([])
      .when({ type: 'PayArrears', employerId: 'DN-0042', amount: 1, paidOn: '2025-12-15' })
      .thenThrows(UnknownEntity, /employer 'DN-0042'/);
  });

  it('classifies part of the overdue as unrecoverable', () => {
    given([recorded])
      .when({
        type: 'ClassifyArrearsUnrecoverable',
        employerId: 'DN-0042',
        reason: 'bankrupt',
        amount: 134_000_000_001,
        classifiedOn: '2025-12-10',
      })
      .then([classified]);
  });

  it('refuses to classify more than the recoverable overdue outstanding', () => {
    given([recorded, classified])
      .when({
        type: 'ClassifyArrearsUnrecoverable',
        employerId: 'DN-0042',
        reason: 'absconded',
        amount: overdue,
        classifiedOn: '2025-12-11',
      })
      .thenThrows(RuleViolation, /recoverable overdue outstanding/);
  });

  it('writes off unrecoverable arrears, reducing both the overdue and the unrecoverable part', () => {
    given([recorded, classified])
      .when({
        type: 'WriteOffArrears',
        employerId: 'DN-0042',
        amount: 34_000_000_000,
        decisionRef: 'QD 99/QD-BHXH',
        writtenOffOn: '2025-12-20',
      })
      .then([
        {
          type: 'ArrearsWrittenOff',
          data: {
            ...debtor,
            amount: 34_000_000_000,
            decisionRef: 'QD 99/QD-BHXH',
            writtenOffOn: '2025-12-20',
            balance: { overdue: overdue - 34_000_000_000, unrecoverable: 100_000_000_001 },
          },
        },
      ]);
  });

  it('refuses to write off more than is classified unrecoverable', () => {
    given([recorded, classified])
      .when({
        type: 'WriteOffArrears',
        employerId: 'DN-0042',
        amount: 134_000_000_002,
        decisionRef: 'QD 99',
        writtenOffOn: '2025-12-20',
      })
      .thenThrows(RuleViolation, /classified unrecoverable \(134,000,000,001 VND outstanding\)/);
  });

  it('keeps the recoverable part as the overdue minus the unrecoverable part', () => {
    const state = fold(debtDecider, [recorded, classified]) as IndebtedEmployer;
    expect(recoverable(state.balance)).toBe(966_000_000_006);
  });
});
