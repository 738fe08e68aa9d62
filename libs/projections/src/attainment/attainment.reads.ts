import { NotInReadModel } from '../queries/read-model-reader.js';
import { type LocalDate, type SchemeScope, coverageBaseOf, membersOf, yearOf } from '#domain';
import { type EntityManager } from 'typeorm';
import {
  CORRECTIONS_TABLE,
  PARTICIPATION_TABLE,
} from '../participation/participation.projection.js';
import { PLANS_TABLE, PLAN_TARGETS_TABLE } from '../plans/plans.projection.js';
import { DENOMINATORS_TABLE, UNITS_TABLE } from '../unit-hierarchy/unit-hierarchy.projection.js';
import { type Denominator, type PlanHistory } from './attainment-figures.js';
import { pageTotal } from '../queries/page-total.js';
import { type Read, read } from '../queries/statements.js';

/** Every unit under each root (the root included), following mergers before parents. */
const SUBTREES = `
  RECURSIVE tree (root, unit_id) AS (
    SELECT unit_id, unit_id FROM ${UNITS_TABLE} WHERE unit_id = ANY($1)
    UNION
    SELECT t.root, u.unit_id FROM ${UNITS_TABLE} u
      JOIN tree t ON coalesce(u.merged_into, u.parent_id) = t.unit_id
  )`;

/**
 * Every change to the counts per unit, scheme and day, with the corrections made on or before
 * `$knownOn` (a business date; far in the future for "as known now").
 */
const facts = (knownOn: string) => `
  facts (unit_id, scheme, day, delta) AS (
    SELECT unit_id, scheme, day, opening + gains - stops + resumptions FROM ${PARTICIPATION_TABLE}
    UNION ALL
    SELECT unit_id, scheme, day, gains - stops FROM ${CORRECTIONS_TABLE} WHERE corrected_on <= ${knownOn}
  )`;

export const NOW = '9999-12-31';

export type UnitRow = {
  unitId: string;
  name: string;
  level: string;
  parentId: string | null;
  mergedInto: string | null;
};

/** The units named, by id (those the read models do not know are absent). */
export const unitsRead = (unitIds: string[]): Read<Map<string, UnitRow>> => ({
  sql: `SELECT unit_id AS "unitId", name, level, parent_id AS "parentId", merged_into AS "mergedInto"
          FROM ${UNITS_TABLE} WHERE unit_id = ANY($1)`,
  params: [unitIds],
  answer: (rows: UnitRow[]) => new Map(rows.map((row) => [row.unitId, row])),
});

export const unitsById = (manager: EntityManager, unitIds: string[]) =>
  read(manager, unitsRead(unitIds));

/** The units that roll up directly into `unitId` (its children and the units merged into it). */
export async function childrenOf(
  manager: EntityManager,
  unitId: string,
  page: { limit: number; offset: number },
): Promise<{ units: UnitRow[]; total: number }> {
  const rows: (UnitRow & { total: string })[] = await manager.query(
    `SELECT unit_id AS "unitId", name, level, parent_id AS "parentId", merged_into AS "mergedInto",
            count(*) OVER () AS total
       FROM ${UNITS_TABLE} WHERE coalesce(merged_into, parent_id) = $1
      ORDER BY name, unit_id LIMIT $2 OFFSET $3`,
    [unitId, page.limit, page.offset],
  );
  return {
    units: rows.map(({ total: _, ...unit }) => unit),
    total: await pageTotal(manager, rows, {
      from: `${UNITS_TABLE} WHERE coalesce(merged_into, parent_id) = $1`,
      params: [unitId],
    }),
  };
}

/** N(root and its subtree, scheme, day) for each root and day; a group's is its members' sum. */
export const participantsOnRead = (
  roots: string[],
  scheme: SchemeScope,
  days: LocalDate[],
  knownOn: LocalDate = NOW,
): Read<(root: string, day: LocalDate) => number> => ({
  sql: `WITH ${SUBTREES}, ${facts('$4::date')}
        SELECT t.root, d.day::text AS day, coalesce(sum(c.delta), 0) AS participants
          FROM tree t CROSS JOIN unnest($3::date[]) AS d (day)
          LEFT JOIN facts c ON c.unit_id = t.unit_id AND c.scheme = ANY($2) AND c.day <= d.day
         GROUP BY t.root, d.day`,
  // The same day twice (31 Dec is also "a year ago" on 31 Dec) would be counted twice.
  params: [roots, membersOf(scheme), [...new Set(days)], knownOn],
  answer: (rows: { root: string; day: string; participants: string | number }[]) => {
    const counts = new Map(rows.map((row) => [`${row.root}|${row.day}`, Number(row.participants)]));
    return (root, day) => counts.get(`${root}|${day}`) ?? 0;
  },
});

/** N(root and its subtree, scheme) at the end of every day from `from` to `to`. */
export async function dailyParticipants(
  manager: EntityManager,
  root: string,
  scheme: SchemeScope,
  from: LocalDate,
  to: LocalDate,
  knownOn: LocalDate = NOW,
): Promise<Map<LocalDate, number>> {
  const rows: { day: string; participants: string }[] = await manager.query(
    `WITH ${SUBTREES}, ${facts('$5::date')},
     changes AS (
       SELECT c.day, sum(c.delta) AS delta
         FROM facts c JOIN tree t USING (unit_id)
        WHERE c.scheme = ANY($2) AND c.day <= $4::date
        GROUP BY c.day
     ),
     before AS (SELECT coalesce(sum(delta), 0) AS n FROM changes WHERE day < $3::date)
     SELECT g.day::date::text AS day,
            (SELECT n FROM before) + sum(coalesce(ch.delta, 0)) OVER (ORDER BY g.day) AS participants
       FROM generate_series($3::date, $4::date, interval '1 day') AS g (day)
       LEFT JOIN changes ch ON ch.day = g.day::date
      ORDER BY g.day`,
    [[root], membersOf(scheme), from, to, knownOn],
  );
  return new Map(rows.map((row) => [row.day, Number(row.participants)]));
}

/**
 * Each root's plan of one scheme or group and metric for a year, with every target it had. A
 * group's plan is its own, never the sum of its members' plans.
 */
export const plansRead = (
  unitIds: string[],
  scheme: SchemeScope,
  metric: string,
  year: number,
): Read<Map<string, PlanHistory>> => ({
  sql: `SELECT p.unit_id AS "unitId", p.plan_id AS "planId", p.metric, p.start_date::text AS "startDate",
               p.end_date::text AS "endDate", p.original_target AS "originalTarget",
               json_agg(json_build_object('effectiveFrom', t.effective_from::text, 'target', t.target,
                        'position', t.position, 'reason', t.reason) ORDER BY t.position) AS targets
          FROM ${PLANS_TABLE} p JOIN ${PLAN_TARGETS_TABLE} t USING (plan_id)
         WHERE p.unit_id = ANY($1) AND p.scheme = $2 AND p.metric = $3 AND p.year = $4
         GROUP BY p.plan_id, p.unit_id, p.metric, p.start_date, p.end_date, p.original_target`,
  params: [unitIds, scheme, metric, year],
  answer: (rows: (PlanHistory & { unitId: string })[]) =>
    new Map(
      rows.map(({ unitId, ...plan }) => [
        unitId,
        {
          ...plan,
          originalTarget: Number(plan.originalTarget),
          targets: plan.targets.map((target) => ({
            ...target,
            target: Number(target.target),
            position: Number(target.position),
          })),
        },
      ]),
    ),
});

export const plansOf = (
  manager: EntityManager,
  unitIds: string[],
  scheme: SchemeScope,
  metric: string,
  year: number,
) => read(manager, plansRead(unitIds, scheme, metric, year));

/** Each unit's denominator for the scheme's coverage base: the year of `date`, else the latest before. */
export function denominatorsRead(
  unitIds: string[],
  scheme: SchemeScope,
  date: LocalDate,
): Read<Map<string, Denominator>> {
  const base = coverageBaseOf(scheme);
  return {
    // A scheme without a coverage base has no denominator: nothing to read.
    sql:
      base === null
        ? null
        : `SELECT DISTINCT ON (unit_id) unit_id AS "unitId", year, kind, value, source
             FROM ${DENOMINATORS_TABLE}
            WHERE unit_id = ANY($1) AND kind = $2 AND year <= $3
            ORDER BY unit_id, year DESC`,
    params: [unitIds, base, yearOf(date)],
    answer: (rows: (Omit<Denominator, 'value'> & { unitId: string; value: string | number })[]) =>
      new Map(rows.map(({ unitId, ...row }) => [unitId, { ...row, value: Number(row.value) }])),
  };
}

export const denominatorsOf = (
  manager: EntityManager,
  unitIds: string[],
  scheme: SchemeScope,
  date: LocalDate,
) => read(manager, denominatorsRead(unitIds, scheme, date));

/** The unit, or a 404-mapped refusal when the read models do not know it. */
export const unitRead = (unitId: string): Read<UnitRow> => {
  const units = unitsRead([unitId]);
  return {
    ...units,
    answer: (rows) => {
      const unit = units.answer(rows).get(unitId);
      if (!unit) throw new NotInReadModel('unit', unitId);
      return unit;
    },
  };
};

export const unitOrFail = (manager: EntityManager, unitId: string): Promise<UnitRow> =>
  read(manager, unitRead(unitId));
