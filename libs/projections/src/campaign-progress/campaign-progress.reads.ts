import { type LocalDate, type Month, type Scheme } from '#domain';
import { type EntityManager } from 'typeorm';
import { type UnitRow } from '../attainment/attainment.reads.js';
import { CAMPAIGNS_TABLE, type CampaignStatus } from '../campaigns/campaigns.projection.js';
import {
  COLLECTION_ACTIVITY_TABLE,
  DEBT_RECOVERIES_TABLE,
  NOBODY,
} from '../collection-activity/collection-activity.projection.js';
import {
  CORRECTIONS_TABLE,
  PARTICIPATION_TABLE,
} from '../participation/participation.projection.js';
import { DEBT_ARREARS_TABLE, DEBT_EMPLOYERS_TABLE } from '../debt/debt.projection.js';
import { UNITS_TABLE } from '../unit-hierarchy/unit-hierarchy.projection.js';
import { rollUpInto } from '../unit-hierarchy/subtree.js';
import { type CampaignRow } from './campaign-progress-figures.js';
import { type PeriodArrears } from './ratio-objectives.js';
import { pageTotal } from '../queries/page-total.js';

/** Every unit of the scope ($1): the scope units and everything that rolls up into them. */
const SCOPE = rollUpInto('scope', 'unit_id = ANY($1)');

/**
 * Gains, stops and resumptions per unit, scheme and day, from reports and person-level facts,
 * with every correction known now (a correction counts on the day it corrects). Opening stock
 * is not development.
 */
const DEVELOPMENT = `
  development (unit_id, scheme, day, gains, stops, resumptions) AS (
    SELECT unit_id, scheme, day, gains, stops, resumptions FROM ${PARTICIPATION_TABLE}
     WHERE scheme = ANY($2) AND day BETWEEN $3 AND $4
    UNION ALL
    SELECT unit_id, scheme, day, gains, stops, 0 FROM ${CORRECTIONS_TABLE}
     WHERE scheme = ANY($2) AND day BETWEEN $3 AND $4
  )`;

const CAMPAIGN_COLUMNS = `
  campaign_id AS "campaignId", name, status, start_date::text AS "startDate",
  planned_end_date::text AS "plannedEndDate", end_date::text AS "endDate",
  closed_on::text AS "closedOn", cancelled_on::text AS "cancelledOn",
  scope_unit_ids AS "scopeUnitIds", objectives`;

export async function campaignById(
  manager: EntityManager,
  campaignId: string,
): Promise<CampaignRow | undefined> {
  const [row] = await manager.query(
    `SELECT ${CAMPAIGN_COLUMNS} FROM ${CAMPAIGNS_TABLE} WHERE campaign_id = $1`,
    [campaignId],
  );
  return row;
}

export type CampaignFilter = {
  status?: CampaignStatus;
  scopeUnitId?: string;
  /** Only campaigns counting on this business date: started, and not past their last day. */
  runningOn?: LocalDate;
};
export type Page = { limit: number; offset: number };

/** Campaigns, latest start first. */
export async function campaignsPage(
  manager: EntityManager,
  { status, scopeUnitId, runningOn }: CampaignFilter,
  page: Page,
): Promise<{ campaigns: CampaignRow[]; total: number }> {
  const rows: (CampaignRow & { total: string })[] = await manager.query(
    `SELECT ${CAMPAIGN_COLUMNS}, count(*) OVER () AS total FROM ${CAMPAIGNS_TABLE}
      WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR scope_unit_ids @> ARRAY[$2])
        AND ($5::date IS NULL OR (start_date <= $5 AND
             least(end_date, coalesce(closed_on, cancelled_on, end_date)) >= $5))
      ORDER BY start_date DESC, campaign_id LIMIT $3 OFFSET $4`,
    [status ?? null, scopeUnitId ?? null, page.limit, page.offset, runningOn ?? null],
  );
  return {
    campaigns: rows.map(({ total: _, ...campaign }) => campaign),
    total: await pageTotal(manager, rows, {
      from: `${CAMPAIGNS_TABLE}
        WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR scope_unit_ids @> ARRAY[$2])
          AND ($3::date IS NULL OR (start_date <= $3 AND
               least(end_date, coalesce(closed_on, cancelled_on, end_date)) >= $3))`,
      params: [status ?? null, scopeUnitId ?? null, runningOn ?? null],
    }),
  };
}

export type Period = { from: LocalDate; to: LocalDate };

export type DailyDevelopment = {
  scheme: Scheme;
  day: LocalDate;
  gains: number;
  stops: number;
  resumptions: number;
};

export async function developmentByDay(
  manager: EntityManager,
  scopeUnitIds: string[],
  schemes: Scheme[],
  { from, to }: Period,
): Promise<DailyDevelopment[]> {
  const rows: Record<string, string>[] = await manager.query(
    `WITH ${SCOPE}, ${DEVELOPMENT}
     SELECT d.scheme, d.day::text AS day, sum(d.gains) AS gains, sum(d.stops) AS stops,
            sum(d.resumptions) AS resumptions
       FROM development d JOIN scope USING (unit_id)
      GROUP BY d.scheme, d.day`,
    [scopeUnitIds, schemes, from, to],
  );
  return rows.map((row) => ({
    scheme: row.scheme as Scheme,
    day: row.day,
    gains: Number(row.gains),
    stops: Number(row.stops),
    resumptions: Number(row.resumptions),
  }));
}

export type DailyContributions = {
  scheme: Scheme;
  day: LocalDate;
  collections: number;
  amount: number;
};

export async function contributionsByDay(
  manager: EntityManager,
  scopeUnitIds: string[],
  schemes: Scheme[],
  { from, to }: Period,
): Promise<DailyContributions[]> {
  const rows: Record<string, string>[] = await manager.query(
    `WITH ${SCOPE}
     SELECT a.scheme, a.day::text AS day, sum(a.contributions) AS collections,
            sum(a.contributed_vnd) AS amount
       FROM ${COLLECTION_ACTIVITY_TABLE} a JOIN scope USING (unit_id)
      WHERE a.scheme = ANY($2) AND a.day BETWEEN $3 AND $4 AND a.contributions > 0
      GROUP BY a.scheme, a.day`,
    [scopeUnitIds, schemes, from, to],
  );
  return rows.map((row) => ({
    scheme: row.scheme as Scheme,
    day: row.day,
    collections: Number(row.collections),
    amount: Number(row.amount),
  }));
}

export type DailyRecoveries = { day: LocalDate; payments: number; amount: number };

/** Arrears paid by employers of the scope's units. */
export async function recoveriesByDay(
  manager: EntityManager,
  scopeUnitIds: string[],
  { from, to }: Period,
): Promise<DailyRecoveries[]> {
  const rows: Record<string, string>[] = await manager.query(
    `WITH ${SCOPE}
     SELECT r.day::text AS day, sum(r.payments) AS payments, sum(r.recovered_vnd) AS amount
       FROM ${DEBT_RECOVERIES_TABLE} r JOIN scope USING (unit_id)
      WHERE r.day BETWEEN $2 AND $3
      GROUP BY r.day`,
    [scopeUnitIds, from, to],
  );
  return rows.map((row) => ({
    day: row.day,
    payments: Number(row.payments),
    amount: Number(row.amount),
  }));
}

/** What employers of the scope's units owed for each period, as last restated. */
export async function arrearsByPeriod(
  manager: EntityManager,
  scopeUnitIds: string[],
  periods: Month[],
): Promise<PeriodArrears[]> {
  const rows: Record<string, string>[] = await manager.query(
    `WITH ${SCOPE}
     SELECT a.period, sum(a.amount_due) AS due, sum(a.amount_overdue) AS overdue
       FROM ${DEBT_ARREARS_TABLE} a JOIN ${DEBT_EMPLOYERS_TABLE} e USING (employer_id)
       JOIN scope ON scope.unit_id = e.unit_id
      WHERE a.period = ANY($2)
      GROUP BY a.period`,
    [scopeUnitIds, periods],
  );
  return rows.map((row) => ({
    period: row.period,
    amountDue: Number(row.due),
    amountOverdue: Number(row.overdue),
  }));
}

/** Net development: gains − stops + resumptions; contributions in VND. */
export type Development = {
  gains: number;
  stops: number;
  resumptions: number;
  net: number;
  contributedVnd: number;
};

export type UnitStanding = { rank: number; unit: UnitRow } & Development;
export type OrganizationStanding = { rank: number; organizationId: string } & Development;
export type AgentStanding = { rank: number; agentId: string; organizationId: string } & Development;

export type Leaderboard<Entry> = { entries: Entry[]; total: number };

const development = (row: Record<string, string>): Development => ({
  gains: Number(row.gains),
  stops: Number(row.stops),
  resumptions: Number(row.resumptions),
  net: Number(row.gains) - Number(row.stops) + Number(row.resumptions),
  contributedVnd: Number(row.contributed_vnd),
});

/**
 * The units directly below each scope unit, ranked by net development of their subtree in the
 * period (reports and person-level facts alike), with the contributions collected there.
 */
export async function unitLeaderboard(
  manager: EntityManager,
  scopeUnitIds: string[],
  schemes: Scheme[],
  period: Period,
  limit: number,
): Promise<Leaderboard<UnitStanding>> {
  const rows: Record<string, string>[] = await manager.query(
    `WITH RECURSIVE children AS (
       SELECT unit_id, name, level, parent_id, merged_into FROM ${UNITS_TABLE}
        WHERE coalesce(merged_into, parent_id) = ANY($1)
     ), tree (root, unit_id) AS (
       SELECT unit_id, unit_id FROM children
       UNION
       SELECT t.root, u.unit_id FROM ${UNITS_TABLE} u JOIN tree t ON coalesce(u.merged_into, u.parent_id) = t.unit_id
     ), ${DEVELOPMENT},
     developed AS (
       SELECT t.root, sum(d.gains) AS gains, sum(d.stops) AS stops, sum(d.resumptions) AS resumptions
         FROM development d JOIN tree t USING (unit_id) GROUP BY t.root
     ), collected AS (
       SELECT t.root, sum(a.contributed_vnd) AS contributed_vnd
         FROM ${COLLECTION_ACTIVITY_TABLE} a JOIN tree t USING (unit_id)
        WHERE a.scheme = ANY($2) AND a.day BETWEEN $3 AND $4 GROUP BY t.root
     ), ranked AS (
       SELECT c.*, coalesce(d.gains, 0) AS gains, coalesce(d.stops, 0) AS stops,
              coalesce(d.resumptions, 0) AS resumptions, coalesce(m.contributed_vnd, 0) AS contributed_vnd,
              coalesce(d.gains, 0) - coalesce(d.stops, 0) + coalesce(d.resumptions, 0) AS net
         FROM children c LEFT JOIN developed d ON d.root = c.unit_id
         LEFT JOIN collected m ON m.root = c.unit_id
     )
     SELECT *, rank() OVER (ORDER BY net DESC) AS rank, count(*) OVER () AS total
       FROM ranked ORDER BY net DESC, name, unit_id LIMIT $5`,
    [scopeUnitIds, schemes, period.from, period.to, limit],
  );
  return {
    entries: rows.map((row) => ({
      rank: Number(row.rank),
      unit: {
        unitId: row.unit_id,
        name: row.name,
        level: row.level,
        parentId: row.parent_id,
        mergedInto: row.merged_into,
      },
      ...development(row),
    })),
    total: Number(rows[0]?.total ?? 0),
  };
}

/** Person-level facts in the scope and period, per collector, ranked by net development. */
async function collectorLeaderboard(
  manager: EntityManager,
  collector: 'organization_id' | 'agent_id, organization_id',
  scopeUnitIds: string[],
  schemes: Scheme[],
  period: Period,
  limit: number,
): Promise<Record<string, string>[]> {
  const named = collector.split(', ')[0];
  return manager.query(
    `WITH ${SCOPE},
     totals AS (
       SELECT ${collector}, sum(a.enrolments) AS gains, sum(a.stops) AS stops,
              sum(a.resumptions) AS resumptions, sum(a.contributed_vnd) AS contributed_vnd
         FROM ${COLLECTION_ACTIVITY_TABLE} a JOIN scope USING (unit_id)
        WHERE a.scheme = ANY($2) AND a.day BETWEEN $3 AND $4 AND a.${named} <> $6
        GROUP BY ${collector}
     )
     SELECT *, rank() OVER (ORDER BY gains - stops + resumptions DESC) AS rank,
            count(*) OVER () AS total
       FROM totals ORDER BY gains - stops + resumptions DESC, contributed_vnd DESC, ${collector}
      LIMIT $5`,
    [scopeUnitIds, schemes, period.from, period.to, limit, NOBODY],
  );
}

export async function organizationLeaderboard(
  manager: EntityManager,
  scopeUnitIds: string[],
  schemes: Scheme[],
  period: Period,
  limit: number,
): Promise<Leaderboard<OrganizationStanding>> {
  const rows = await collectorLeaderboard(
    manager,
    'organization_id',
    scopeUnitIds,
    schemes,
    period,
    limit,
  );
  return {
    entries: rows.map((row) => ({
      rank: Number(row.rank),
      organizationId: row.organization_id,
      ...development(row),
    })),
    total: Number(rows[0]?.total ?? 0),
  };
}

export async function agentLeaderboard(
  manager: EntityManager,
  scopeUnitIds: string[],
  schemes: Scheme[],
  period: Period,
  limit: number,
): Promise<Leaderboard<AgentStanding>> {
  const rows = await collectorLeaderboard(
    manager,
    'agent_id, organization_id',
    scopeUnitIds,
    schemes,
    period,
    limit,
  );
  return {
    entries: rows.map((row) => ({
      rank: Number(row.rank),
      agentId: row.agent_id,
      organizationId: row.organization_id,
      ...development(row),
    })),
    total: Number(rows[0]?.total ?? 0),
  };
}

/** Development recorded on the scope units themselves, which no unit below them accounts for. */
export async function developmentOnScopeUnits(
  manager: EntityManager,
  scopeUnitIds: string[],
  schemes: Scheme[],
  period: Period,
): Promise<Development> {
  const [row] = await manager.query(
    `WITH ${DEVELOPMENT}
     SELECT coalesce(sum(gains), 0) AS gains, coalesce(sum(stops), 0) AS stops,
            coalesce(sum(resumptions), 0) AS resumptions,
            (SELECT coalesce(sum(contributed_vnd), 0) FROM ${COLLECTION_ACTIVITY_TABLE}
              WHERE unit_id = ANY($1) AND scheme = ANY($2) AND day BETWEEN $3 AND $4) AS contributed_vnd
       FROM development WHERE unit_id = ANY($1)`,
    [scopeUnitIds, schemes, period.from, period.to],
  );
  return development(row);
}
