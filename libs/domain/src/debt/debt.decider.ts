import { type Decider } from '../shared/decider.js';
import { RuleViolation, StateConflict, UnknownEntity } from '../shared/errors.js';
import { type Month } from '../shared/local-date.js';
import { type DebtCommand, type RecordArrears } from './debt.commands.js';
import {
  type ArrearsFigures,
  type DebtBalance,
  type DebtEvent,
  type Debtor,
} from './debt.events.js';

export type IndebtedEmployer = {
  status: 'recorded';
  debtor: Debtor;
  periods: Record<Month, ArrearsFigures>;
  balance: DebtBalance;
};

export type EmployerDebt = { status: 'unrecorded' } | IndebtedEmployer;

export const employerStream = (employerId: string) => `employer-${employerId}`;

/** Overdue and not classified unrecoverable: what payments and classifications may cover. */
export const recoverable = ({ overdue, unrecoverable }: DebtBalance) => overdue - unrecoverable;

const formatVnd = (amount: number) => `${amount.toLocaleString('en-US')} VND`;

function requireAmount(amount: number, field: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new RuleViolation('An amount must be a whole number of VND greater than 0', field);
  }
}

function record(command: RecordArrears, debt: EmployerDebt): DebtEvent[] {
  const { employerId, employerName, unitId, period, amountDue, amountOverdue, recordedOn } =
    command;
  if (!Number.isSafeInteger(amountDue) || amountDue < 0) {
    throw new RuleViolation('The amount due must be a whole number of VND', 'amountDue');
  }
  if (!Number.isSafeInteger(amountOverdue) || amountOverdue < 0) {
    throw new RuleViolation('The amount overdue must be a whole number of VND', 'amountOverdue');
  }
  if (amountOverdue > amountDue) {
    throw new RuleViolation('The amount overdue cannot exceed the amount due', 'amountOverdue');
  }
  if (period > recordedOn.slice(0, 7)) {
    throw new RuleViolation(
      `Arrears for ${period} cannot be recorded on ${recordedOn}, before the period`,
      'period',
    );
  }
  const previous = debt.status === 'recorded' ? (debt.periods[period] ?? null) : null;
  if (previous?.amountDue === amountDue && previous.amountOverdue === amountOverdue) {
    throw new StateConflict(
      `Arrears of '${employerId}' for ${period} are already recorded with these figures`,
      'period',
    );
  }
  const balance = debt.status === 'recorded' ? debt.balance : { overdue: 0, unrecoverable: 0 };
  const overdue = balance.overdue + amountOverdue - (previous?.amountOverdue ?? 0);
  if (!Number.isSafeInteger(overdue)) {
    throw new RuleViolation('The total overdue is too large to be exact', 'amountOverdue');
  }
  if (overdue < balance.unrecoverable) {
    throw new RuleViolation(
      `Restating ${period} would leave less overdue than has already been paid, written off ` +
        `or classified unrecoverable`,
      'amountOverdue',
    );
  }
  return [
    {
      type: 'ArrearsRecorded',
      data: {
        employerId,
        employerName,
        unitId,
        period,
        amountDue,
        amountOverdue,
        recordedOn,
        previous,
        balance: { overdue, unrecoverable: balance.unrecoverable },
      },
    },
  ];
}

function decide(command: DebtCommand, debt: EmployerDebt): DebtEvent[] {
  if (command.type === 'RecordArrears') return record(command, debt);
  if (debt.status === 'unrecorded') {
    throw new UnknownEntity('employer', command.employerId, 'employerId');
  }
  const { debtor, balance } = debt;
  requireAmount(command.amount, 'amount');
  switch (command.type) {
    case 'PayArrears':
      if (command.amount > recoverable(balance)) {
        throw new RuleViolation(
          `The payment exceeds the recoverable overdue outstanding (${formatVnd(recoverable(balance))})`,
          'amount',
        );
      }
      return [
        {
          type: 'ArrearsPaid',
          data: {
            ...debtor,
            amount: command.amount,
            paidOn: command.paidOn,
            balance: { ...balance, overdue: balance.overdue - command.amount },
          },
        },
      ];
    case 'ClassifyArrearsUnrecoverable':
      if (command.amount > recoverable(balance)) {
        throw new RuleViolation(
          `Only the recoverable overdue outstanding (${formatVnd(recoverable(balance))}) can be classified unrecoverable`,
          'amount',
        );
      }
      return [
        {
          type: 'ArrearsClassifiedUnrecoverable',
          data: {
            ...debtor,
            reason: command.reason,
            amount: command.amount,
            classifiedOn: command.classifiedOn,
            balance: { ...balance, unrecoverable: balance.unrecoverable + command.amount },
          },
        },
      ];
    case 'WriteOffArrears':
      if (command.amount > balance.unrecoverable) {
        throw new RuleViolation(
          `Only arrears classified unrecoverable (${formatVnd(balance.unrecoverable)} outstanding) can be written off`,
          'amount',
        );
      }
      return [
        {
          type: 'ArrearsWrittenOff',
          data: {
            ...debtor,
            amount: command.amount,
            decisionRef: command.decisionRef,
            writtenOffOn: command.writtenOffOn,
            balance: {
              overdue: balance.overdue - command.amount,
              unrecoverable: balance.unrecoverable - command.amount,
            },
          },
        },
      ];
  }
}

function evolve(debt: EmployerDebt, event: DebtEvent): EmployerDebt {
  const { employerId, employerName, unitId } = event.data;
  if (event.type === 'ArrearsRecorded') {
    const { period, amountDue, amountOverdue, balance } = event.data;
    return {
      status: 'recorded',
      debtor: { employerId, employerName, unitId },
      periods: {
        ...(debt.status === 'recorded' ? debt.periods : {}),
        [period]: { amountDue, amountOverdue },
      },
      balance,
    };
  }
  if (debt.status === 'unrecorded') return debt;
  return { ...debt, balance: event.data.balance };
}

export const debtDecider: Decider<DebtCommand, DebtEvent, EmployerDebt> = {
  initialState: { status: 'unrecorded' },
  decide,
  evolve,
};
