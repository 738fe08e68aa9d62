import { type LocalDate, type Scheme } from '#domain';
import { type EntityManager } from 'typeorm';
import {
  AGENTS_TABLE,
  ASSIGNMENTS_TABLE,
  ORGANIZATIONS_TABLE,
} from '../collection-network/collection-network.projection.js';
import { PLANS_TABLE, PLAN_ALLOCATIONS_TABLE } from '../plans/plans.projection.js';
import { subtreeOf } from '../unit-hierarchy/subtree.js';
import { ACTIVITY_TABLE, RENEWALS_TABLE } from './collection-performance.projection.js';
import { type Activity, type Renewals, type YearlyTargets } from './performance-figures.js';

export type RecipientKind = 'organization' | 'agent';

/** Whose figures, and which of their work counts. */
export type PerformanceScope = {
  kind: RecipientKind;
  /** Only work on participants of this unit and the units below it, and plans of those units. */
  unitId?: string;
  /** Agents: only work credited to this organization. */
  organizationId?: string;
  scheme?: Scheme;
};

/** The days a month's figures span. */
export type MonthSpan = {
  year: number;
  yearStart: LocalDate;
  monthStart: LocalDate;
  monthEnd: LocalDate;
};

/** Placeholders for the scope's filters, numbered after the parameters already taken. */
class Filters {
  readonly params: unknown[];

  constructor(
    private readonly scope: PerformanceScope,
    leading: unknown[],
  ) {
    this.params = [...leading];
  }

  private bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** The `WITH` clause the unit filter needs. */
  subtree(): string {
    return this.scope.unitId ? `WITH ${subtreeOf(this.bind(this.scope.unitId))}` : '';
  }

  where(columns: { unit?: string; scheme?: string; organization?: string }): string {
    const { unitId, scheme, organizationId } = this.scope;
    const clauses: string[] = [];
    if (unitId && columns.unit) clauses.push(`${columns.unit} IN (SELECT unit_id FROM subtree)`);
    if (scheme && columns.scheme) clauses.push(`${columns.scheme} = ${this.bind(scheme)}`);
    if (organizationId && columns.organization) {
      clauses.push(`${columns.organization} = ${this.bind(organizationId)}`);
    }
    return clauses.map((clause) => ` AND ${clause}`).join('');
  }
}

const recipientColumn = (kind: RecipientKind) =>
  kind === 'organization' ? 'organization_id' : 'agent_id';

type ActivityRow = Record<string, string>;

const activityOf = (row: ActivityRow | undefined, prefix: 'm' | 'y'): Activity => ({
  newParticipants: Number(row?.[`${prefix}_enrolled`] ?? 0),
  stops: Number(row?.[`${prefix}_stopped`] ?? 0),
  resumptions: Number(row?.[`${prefix}_resumed`] ?? 0),
  contributions: Number(row?.[`${prefix}_contributions`] ?? 0),
  collected: Number(row?.[`${prefix}_collected`] ?? 0),
});

/** Enrollments, stops, resumptions and contributions credited to each, in the month and the year to it. */
export async function activityOfRecipients(
  manager: EntityManager,
  scope: PerformanceScope,
  span: MonthSpan,
): Promise<Map<string, { month: Activity; yearToDate: Activity }>> {
  const column = `a.${recipientColumn(scope.kind)}`;
  const filters = new Filters(scope, [span.yearStart, span.monthStart]);
  const subtree = filters.subtree();
  const sums = ['enrolled', 'stopped', 'resumed', 'contributions', 'collected']
    .map(
      (field) =>
        `sum(a.${field}) FILTER (WHERE a.month = $2) AS m_${field}, sum(a.${field}) AS y_${field}`,
    )
    .join(', ');
  const rows: (ActivityRow & { id: string })[] = await manager.query(
    `${subtree}
     SELECT ${column} AS id, ${sums}
       FROM ${ACTIVITY_TABLE} a
      WHERE a.month BETWEEN $1 AND $2 AND ${column} <> ''
        ${filters.where({ unit: 'a.unit_id', scheme: 'a.scheme', organization: 'a.organization_id' })}
      GROUP BY ${column}`,
    filters.params,
  );
  return new Map(
    rows.map((row) => [row.id, { month: activityOf(row, 'm'), yearToDate: activityOf(row, 'y') }]),
  );
}

/** Each one's participants due to renew in the month and the year to it, and who paid by then. */
export async function renewalsOfRecipients(
  manager: EntityManager,
  scope: PerformanceScope,
  span: MonthSpan,
): Promise<Map<string, { month: Renewals; yearToDate: Renewals }>> {
  const column = `r.${recipientColumn(scope.kind)}`;
  const filters = new Filters(scope, [span.yearStart, span.monthStart]);
  const subtree = filters.subtree();
  const rows: Record<string, string>[] = await manager.query(
    `${subtree}
     SELECT ${column} AS id,
            sum(r.due) FILTER (WHERE r.month = $2) AS m_due,
            sum(r.on_time) FILTER (WHERE r.month = $2) AS m_on_time,
            sum(r.due) AS y_due,
            sum(r.on_time) AS y_on_time
       FROM ${RENEWALS_TABLE} r
      WHERE r.month BETWEEN $1 AND $2 AND ${column} <> ''
        ${filters.where({ unit: 'r.unit_id', scheme: 'r.scheme', organization: 'r.organization_id' })}
      GROUP BY ${column}`,
    filters.params,
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        month: { due: Number(row.m_due), onTime: Number(row.m_on_time) },
        yearToDate: { due: Number(row.y_due), onTime: Number(row.y_on_time) },
      },
    ]),
  );
}

type Allocation = {
  id: string;
  planId: string;
  metric: 'participants' | 'contributions';
  target: string;
  allocatedOn: LocalDate;
  position: string;
};

/**
 * Each one's yearly targets: per plan of the year, its allocation as it stood at the end of
 * the month (the latest allocated by then, else the first), summed over plans.
 */
export async function targetsOfRecipients(
  manager: EntityManager,
  scope: PerformanceScope,
  span: MonthSpan,
): Promise<Map<string, YearlyTargets>> {
  const filters = new Filters({ ...scope, organizationId: undefined }, [scope.kind, span.year]);
  const subtree = filters.subtree();
  const rows: Allocation[] = await manager.query(
    `${subtree}
     SELECT a.recipient_id AS id, a.plan_id AS "planId", p.metric, a.target,
            a.allocated_on::text AS "allocatedOn", a.position
       FROM ${PLAN_ALLOCATIONS_TABLE} a JOIN ${PLANS_TABLE} p USING (plan_id)
      WHERE a.recipient_kind = $1 AND p.year = $2 AND p.metric IN ('participants', 'contributions')
        ${filters.where({ unit: 'p.unit_id', scheme: 'p.scheme' })}
      ORDER BY a.position`,
    filters.params,
  );
  const inForce = new Map<string, Allocation>();
  for (const row of rows) {
    const key = `${row.id}|${row.planId}`;
    if (!inForce.has(key) || row.allocatedOn <= span.monthEnd) inForce.set(key, row);
  }
  const targets = new Map<string, YearlyTargets>();
  for (const { id, metric, target } of inForce.values()) {
    const sums = targets.get(id) ?? { participants: null, contributions: null };
    sums[metric] = (sums[metric] ?? 0) + Number(target);
    targets.set(id, sums);
  }
  return targets;
}

/** The agents who worked for the organization at some time from the start of the year to the end of the month. */
export async function agentsAssignedTo(
  manager: EntityManager,
  organizationId: string,
  span: MonthSpan,
): Promise<string[]> {
  const rows: { agentId: string }[] = await manager.query(
    `SELECT DISTINCT agent_id AS "agentId" FROM ${ASSIGNMENTS_TABLE}
      WHERE organization_id = $1 AND from_date <= $3
        AND coalesce(ended_on, until_date, 'infinity'::date) >= $2`,
    [organizationId, span.yearStart, span.monthEnd],
  );
  return rows.map(({ agentId }) => agentId);
}

export type Recipient = { id: string; name: string; organizationId: string | null };

/** Names (and, for agents, the organization of their latest assignment) of those recorded. */
export async function recipientsById(
  manager: EntityManager,
  kind: RecipientKind,
  ids: string[],
): Promise<Map<string, Recipient>> {
  const rows: Recipient[] =
    kind === 'organization'
      ? await manager.query(
          `SELECT organization_id AS id, name, organization_id AS "organizationId"
             FROM ${ORGANIZATIONS_TABLE} WHERE organization_id = ANY($1)`,
          [ids],
        )
      : await manager.query(
          `SELECT a.agent_id AS id, a.name,
                  (SELECT s.organization_id FROM ${ASSIGNMENTS_TABLE} s
                    WHERE s.agent_id = a.agent_id ORDER BY s.from_date DESC LIMIT 1) AS "organizationId"
             FROM ${AGENTS_TABLE} a WHERE a.agent_id = ANY($1)`,
          [ids],
        );
  return new Map(rows.map((row) => [row.id, row]));
}
