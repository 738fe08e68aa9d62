import { type LocalDate, type Month } from '#domain';
import { type EntityManager } from 'typeorm';
import { subtreeOf } from '../unit-hierarchy/subtree.js';
import {
  DEBT_ARREARS_TABLE,
  DEBT_EMPLOYERS_TABLE,
  DEBT_MOVEMENTS_TABLE,
} from './debt.projection.js';

/** Payments and write-offs are counted when dated within it. */
export type DateRange = { from: LocalDate; to: LocalDate };

export const DEBTOR_SORTS = [
  'overdue',
  'outstanding',
  'unrecoverable',
  'recovered',
  'name',
] as const;
export type DebtorSort = (typeof DEBTOR_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

const SORT_COLUMNS: Record<DebtorSort, string> = {
  overdue: 'amount_overdue',
  outstanding: 'outstanding',
  unrecoverable: 'unrecoverable',
  recovered: 'recovered',
  name: 'employer_name',
};

/**
 * The employers of a unit's subtree with arrears recorded for the period: that period's
 * figures, their balances as recorded now (over every period: payments are not tied to one),
 * and what they paid and had written off within the range. Parameters: $1 unit, $2 period,
 * $3 from, $4 to.
 */
const DEBTORS = `
  WITH ${subtreeOf('$1')},
  debtors AS (
    SELECT e.employer_id, e.employer_name, e.unit_id, a.amount_due, a.amount_overdue
      FROM ${DEBT_ARREARS_TABLE} a JOIN ${DEBT_EMPLOYERS_TABLE} e USING (employer_id)
     WHERE a.period = $2 AND e.unit_id IN (SELECT unit_id FROM subtree)
  ),
  figures AS (
    SELECT d.employer_id, d.employer_name, d.unit_id, d.amount_due, d.amount_overdue,
           coalesce(sum(m.overdue_change), 0) AS outstanding,
           coalesce(sum(m.unrecoverable_change), 0) AS unrecoverable,
           coalesce(sum(m.amount) FILTER (WHERE m.kind = 'paid' AND m.day BETWEEN $3 AND $4), 0) AS recovered,
           coalesce(sum(m.amount) FILTER (WHERE m.kind = 'written-off' AND m.day BETWEEN $3 AND $4), 0) AS written_off
      FROM debtors d LEFT JOIN ${DEBT_MOVEMENTS_TABLE} m USING (employer_id)
     GROUP BY d.employer_id, d.employer_name, d.unit_id, d.amount_due, d.amount_overdue
  )`;

export type DebtTotals = {
  amountDue: number;
  amountOverdue: number;
  employersInArrears: number;
  outstanding: number;
  unrecoverable: number;
  unrecoverableEmployers: number;
  recovered: number;
  payingEmployers: number;
  writtenOff: number;
};

export async function debtTotals(
  manager: EntityManager,
  unitId: string,
  period: Month,
  range: DateRange,
): Promise<DebtTotals> {
  const [row]: Record<keyof DebtTotals, string>[] = await manager.query(
    `${DEBTORS}
     SELECT coalesce(sum(amount_due), 0) AS "amountDue",
            coalesce(sum(amount_overdue), 0) AS "amountOverdue",
            count(*) FILTER (WHERE amount_overdue > 0) AS "employersInArrears",
            coalesce(sum(outstanding), 0) AS outstanding,
            coalesce(sum(unrecoverable), 0) AS unrecoverable,
            count(*) FILTER (WHERE unrecoverable > 0) AS "unrecoverableEmployers",
            coalesce(sum(recovered), 0) AS recovered,
            count(*) FILTER (WHERE recovered > 0) AS "payingEmployers",
            coalesce(sum(written_off), 0) AS "writtenOff"
       FROM figures`,
    [unitId, period, range.from, range.to],
  );
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key, Number(value)]),
  ) as DebtTotals;
}

export type DebtorRow = {
  employerId: string;
  employerName: string;
  unitId: string;
  amountDue: number;
  amountOverdue: number;
  outstanding: number;
  unrecoverable: number;
  recovered: number;
  writtenOff: number;
};

export async function debtors(
  manager: EntityManager,
  unitId: string,
  period: Month,
  range: DateRange,
  sort: { by: DebtorSort; order: SortOrder },
  page: { limit: number; offset: number },
): Promise<{ rows: DebtorRow[]; total: number }> {
  const direction = sort.order === 'asc' ? 'ASC' : 'DESC';
  const rows: (Record<keyof DebtorRow, string> & { total: string })[] = await manager.query(
    `${DEBTORS}
     SELECT employer_id AS "employerId", employer_name AS "employerName", unit_id AS "unitId",
            amount_due AS "amountDue", amount_overdue AS "amountOverdue", outstanding,
            unrecoverable, recovered, written_off AS "writtenOff", count(*) OVER () AS total
       FROM figures
      ORDER BY ${SORT_COLUMNS[sort.by]} ${direction}, employer_id
      LIMIT $5 OFFSET $6`,
    [unitId, period, range.from, range.to, page.limit, page.offset],
  );
  // A page past the end has no row to carry the total.
  const total =
    rows.length > 0 ? Number(rows[0].total) : await countDebtors(manager, unitId, period, range);
  return {
    total,
    rows: rows.map(({ total: _, employerId, employerName, unitId: unit, ...amounts }) => ({
      employerId,
      employerName,
      unitId: unit,
      ...(Object.fromEntries(
        Object.entries(amounts).map(([key, value]) => [key, Number(value)]),
      ) as Omit<DebtorRow, 'employerId' | 'employerName' | 'unitId'>),
    })),
  };
}

async function countDebtors(
  manager: EntityManager,
  unitId: string,
  period: Month,
  range: DateRange,
): Promise<number> {
  const [row]: { total: string }[] = await manager.query(
    `${DEBTORS} SELECT count(*) AS total FROM figures`,
    [unitId, period, range.from, range.to],
  );
  return Number(row.total);
}
