import { type LocalDate } from '#domain';
import { type EntityManager } from 'typeorm';
import { type UnitRow } from '../attainment/attainment.reads.js';
import { COLLECTION_POINTS_TABLE } from '../collection-points/collection-points.projection.js';
import { MILESTONES_TABLE, MILESTONE_OUTCOMES_TABLE } from '../milestones/milestones.projection.js';
import { UNITS_TABLE } from '../unit-hierarchy/unit-hierarchy.projection.js';
import { rollUpInto } from '../unit-hierarchy/subtree.js';
import { type MilestoneRow, type OutcomeCounts } from './milestone-compliance-figures.js';
import { pageTotal } from '../queries/page-total.js';

const MILESTONE_COLUMNS = `
  milestone_id AS "milestoneId", name, requirement, deadline::text AS deadline,
  scope_unit_id AS "scopeUnitId", json_build_object('levels', levels, 'withCollectionPoint',
  with_collection_point) AS criterion, set_on::text AS "setOn"`;

export async function milestoneById(
  manager: EntityManager,
  milestoneId: string,
): Promise<MilestoneRow | undefined> {
  const [row] = await manager.query(
    `SELECT ${MILESTONE_COLUMNS} FROM ${MILESTONES_TABLE} WHERE milestone_id = $1`,
    [milestoneId],
  );
  return row;
}

/**
 * `eligible (day, unit_id)`: for each day of `$4`, the units under the scope `$1` (itself
 * included, following mergers before parents) that existed that day, at one of the levels `$2`
 * (any when empty) and, when `$3`, with a collection point open that day. The hierarchy is
 * today's: a unit moved since is judged where it is now.
 */
export const ELIGIBLE = `${rollUpInto('tree', 'unit_id = $1')}, eligible (day, unit_id) AS (
    SELECT d.day, u.unit_id
      FROM tree JOIN ${UNITS_TABLE} u USING (unit_id) CROSS JOIN (SELECT DISTINCT unnest($4::date[])) AS d (day)
     WHERE (cardinality($2::text[]) = 0 OR u.level = ANY($2::text[]))
       AND u.registered_on <= d.day AND (u.merged_on IS NULL OR u.merged_on > d.day)
       AND (NOT $3::boolean OR EXISTS (
             SELECT 1 FROM ${COLLECTION_POINTS_TABLE} p
              WHERE p.unit_id = u.unit_id AND p.opened_on <= d.day
                AND (p.closed_on IS NULL OR p.closed_on > d.day)))
  )`;

export const eligibleParameters = (milestone: MilestoneRow, days: LocalDate[]) => [
  milestone.scopeUnitId,
  milestone.criterion.levels,
  milestone.criterion.withCollectionPoint,
  days,
];

/** The eligible units on each day and the outcomes they had recorded by the end of it. */
export async function outcomeCounts(
  manager: EntityManager,
  milestone: MilestoneRow,
  days: LocalDate[],
): Promise<(day: LocalDate) => OutcomeCounts> {
  const rows: Record<string, string | null>[] = await manager.query(
    `WITH ${ELIGIBLE}
     SELECT e.day::text AS day, count(*) AS eligible,
            count(*) FILTER (WHERE o.outcome = 'waived') AS waived,
            count(*) FILTER (WHERE o.outcome = 'fulfilled' AND NOT o.late) AS on_time,
            count(*) FILTER (WHERE o.outcome = 'fulfilled' AND o.late) AS late,
            max(o.outcome_on) FILTER (WHERE o.outcome = 'fulfilled')::text AS last_fulfilled_on
       FROM eligible e
       LEFT JOIN ${MILESTONE_OUTCOMES_TABLE} o
         ON o.milestone_id = $5 AND o.unit_id = e.unit_id AND o.outcome_on <= e.day
      GROUP BY e.day`,
    [...eligibleParameters(milestone, days), milestone.milestoneId],
  );
  const byDay = new Map(
    rows.map((row) => [
      row.day!,
      {
        eligible: Number(row.eligible),
        waived: Number(row.waived),
        onTime: Number(row.on_time),
        late: Number(row.late),
        lastFulfilledOn: row.last_fulfilled_on,
      },
    ]),
  );
  return (day) =>
    byDay.get(day) ?? { eligible: 0, waived: 0, onTime: 0, late: 0, lastFulfilledOn: null };
}

export type Laggard = {
  unit: UnitRow;
  parentName: string | null;
  /** The collection points open in the unit on the date, to follow up with. */
  points: { pointId: string; organizationId: string }[];
};

export type Page = { limit: number; offset: number };

/**
 * The eligible units with no outcome by the end of `asOf`, optionally only those under
 * `underUnitId`, by parent name and name, one page at a time.
 */
export async function laggards(
  manager: EntityManager,
  milestone: MilestoneRow,
  asOf: LocalDate,
  underUnitId: string | undefined,
  page: Page,
): Promise<{ laggards: Laggard[]; total: number }> {
  const rows: Record<string, unknown>[] = await manager.query(
    `WITH ${ELIGIBLE}, under (unit_id) AS (
       SELECT unit_id FROM ${UNITS_TABLE} WHERE unit_id = coalesce($6::text, $1)
       UNION
       SELECT u.unit_id FROM ${UNITS_TABLE} u JOIN under t ON coalesce(u.merged_into, u.parent_id) = t.unit_id
     )
     SELECT u.unit_id, u.name, u.level, u.parent_id, u.merged_into, parent.name AS parent_name,
            coalesce((SELECT json_agg(json_build_object('pointId', p.point_id, 'organizationId', p.organization_id)
                                      ORDER BY p.point_id)
                        FROM ${COLLECTION_POINTS_TABLE} p
                       WHERE p.unit_id = u.unit_id AND p.opened_on <= $4[1]
                         AND (p.closed_on IS NULL OR p.closed_on > $4[1])), '[]') AS points,
            count(*) OVER () AS total
       FROM eligible e JOIN under USING (unit_id)
       JOIN ${UNITS_TABLE} u ON u.unit_id = e.unit_id
       LEFT JOIN ${UNITS_TABLE} parent ON parent.unit_id = u.parent_id
      WHERE NOT EXISTS (SELECT 1 FROM ${MILESTONE_OUTCOMES_TABLE} o
                         WHERE o.milestone_id = $5 AND o.unit_id = e.unit_id AND o.outcome_on <= e.day)
      ORDER BY parent.name NULLS FIRST, u.name, u.unit_id
      LIMIT $7 OFFSET $8`,
    [
      ...eligibleParameters(milestone, [asOf]),
      milestone.milestoneId,
      underUnitId ?? null,
      page.limit,
      page.offset,
    ],
  );
  return {
    laggards: rows.map((row) => ({
      unit: {
        unitId: row.unit_id as string,
        name: row.name as string,
        level: row.level as string,
        parentId: row.parent_id as string | null,
        mergedInto: row.merged_into as string | null,
      },
      parentName: row.parent_name as string | null,
      points: row.points as Laggard['points'],
    })),
    total: Number(rows[0]?.total ?? 0),
  };
}

export type MilestoneFilter = {
  scopeUnitId?: string;
  deadlineFrom?: LocalDate;
  deadlineTo?: LocalDate;
};

export type RecordedOutcomes = { fulfilledOnTime: number; fulfilledLate: number; waived: number };

/** Milestones, latest deadline first, with the outcomes recorded for each. */
export async function milestonesPage(
  manager: EntityManager,
  { scopeUnitId, deadlineFrom, deadlineTo }: MilestoneFilter,
  page: Page,
): Promise<{ milestones: (MilestoneRow & { outcomes: RecordedOutcomes })[]; total: number }> {
  const rows: (MilestoneRow & Record<string, string>)[] = await manager.query(
    `WITH page AS (
       SELECT ${MILESTONE_COLUMNS}, count(*) OVER () AS total FROM ${MILESTONES_TABLE}
        WHERE ($1::text IS NULL OR scope_unit_id = $1)
          AND ($2::date IS NULL OR deadline >= $2) AND ($3::date IS NULL OR deadline <= $3)
        ORDER BY deadline DESC, milestone_id LIMIT $4 OFFSET $5
     )
     SELECT page.*, o.on_time, o.late, o.waived
       FROM page CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE outcome = 'fulfilled' AND NOT late) AS on_time,
                count(*) FILTER (WHERE outcome = 'fulfilled' AND late) AS late,
                count(*) FILTER (WHERE outcome = 'waived') AS waived
           FROM ${MILESTONE_OUTCOMES_TABLE} WHERE milestone_id = page."milestoneId"
       ) o
      ORDER BY page.deadline DESC, page."milestoneId"`,
    [scopeUnitId ?? null, deadlineFrom ?? null, deadlineTo ?? null, page.limit, page.offset],
  );
  return {
    milestones: rows.map(({ total: _, on_time, late, waived, ...milestone }) => ({
      ...milestone,
      outcomes: {
        fulfilledOnTime: Number(on_time),
        fulfilledLate: Number(late),
        waived: Number(waived),
      },
    })),
    total: await pageTotal(manager, rows, {
      from: `${MILESTONES_TABLE}
        WHERE ($1::text IS NULL OR scope_unit_id = $1)
          AND ($2::date IS NULL OR deadline >= $2) AND ($3::date IS NULL OR deadline <= $3)`,
      params: [scopeUnitId ?? null, deadlineFrom ?? null, deadlineTo ?? null],
    }),
  };
}
