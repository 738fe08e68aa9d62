import { type Month } from '#domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { type UnitRow, unitOrFail } from '../attainment/attainment.reads.js';
import { type Ratio, ratio } from '../attainment/ratio.js';
import {
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';
import {
  type DateRange,
  type DebtTotals,
  type DebtorRow,
  type DebtorSort,
  type SortOrder,
  debtTotals,
  debtors,
} from './debt.reads.js';

/** The read models debt figures are computed from. */
export const DEBT_SOURCES = ['unit-hierarchy', 'debt'];

export type UnitDebt = DebtTotals & {
  unit: UnitRow;
  period: Month;
  range: DateRange;
  /** Overdue / due for the period: the integers and the percent rounded for display. */
  latePaymentRatio: Ratio | null;
  /** Outstanding minus its unrecoverable part. */
  recoverable: number;
};

/** The debt of a unit's employers (the unit and every unit below it) for a contribution period. */
export class GetUnitDebt extends Query<ReadAnswer<UnitDebt>> {
  constructor(
    readonly unitId: string,
    readonly period: Month,
    readonly range: DateRange,
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

export type Debtor = DebtorRow & { latePaymentRatio: Ratio | null; recoverable: number };

export type UnitDebtors = {
  unit: UnitRow;
  period: Month;
  range: DateRange;
  total: number;
  employers: Debtor[];
};

/** The same figures per employer, one page at a time. */
export class GetUnitDebtors extends Query<ReadAnswer<UnitDebtors>> {
  constructor(
    readonly unitId: string,
    readonly period: Month,
    readonly range: DateRange,
    readonly sort: { by: DebtorSort; order: SortOrder },
    readonly page: { limit: number; offset: number },
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

@QueryHandler(GetUnitDebt)
export class GetUnitDebtHandler implements IQueryHandler<GetUnitDebt> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ unitId, period, range, options }: GetUnitDebt) {
    return this.reader.read(DEBT_SOURCES, options, async (manager) => {
      const unit = await unitOrFail(manager, unitId);
      const totals = await debtTotals(manager, unitId, period, range);
      return {
        unit,
        period,
        range,
        ...totals,
        latePaymentRatio: ratio(totals.amountOverdue, totals.amountDue),
        recoverable: totals.outstanding - totals.unrecoverable,
      };
    });
  }
}

@QueryHandler(GetUnitDebtors)
export class GetUnitDebtorsHandler implements IQueryHandler<GetUnitDebtors> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ unitId, period, range, sort, page, options }: GetUnitDebtors) {
    return this.reader.read(DEBT_SOURCES, options, async (manager) => {
      const unit = await unitOrFail(manager, unitId);
      const { rows, total } = await debtors(manager, unitId, period, range, sort, page);
      return {
        unit,
        period,
        range,
        total,
        employers: rows.map((row) => ({
          ...row,
          latePaymentRatio: ratio(row.amountOverdue, row.amountDue),
          recoverable: row.outstanding - row.unrecoverable,
        })),
      };
    });
  }
}
