import { type Month, type Scheme, endOfMonth, yearOf } from '#domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { type EntityManager } from 'typeorm';
import { unitsById } from '../attainment/attainment.reads.js';
import {
  NotInReadModel,
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';
import {
  IDLE,
  NONE_DUE,
  type RankedPerformance,
  UNDER_PERFORMANCE,
  performanceFigures,
  rankPerformance,
} from './performance-figures.js';
import {
  type MonthSpan,
  type PerformanceScope,
  type RecipientKind,
  activityOfRecipients,
  agentsAssignedTo,
  recipientsById,
  renewalsOfRecipients,
  targetsOfRecipients,
} from './performance.reads.js';

/** The read models performance is computed from. */
export const PERFORMANCE_SOURCES = [
  'unit-hierarchy',
  'plans',
  'collection-network',
  'collection-performance',
];

export function monthSpan(month: Month): MonthSpan {
  return {
    year: yearOf(month),
    yearStart: `${month.slice(0, 4)}-01-01`,
    monthStart: `${month}-01`,
    monthEnd: endOfMonth(month),
  };
}

/** An organization's or agent's figures; for an agent, the organization of its latest assignment. */
export type RecipientPerformance = RankedPerformance & { organizationId: string | null };

export type PerformanceContext = {
  month: Month;
  scheme: Scheme | null;
  thresholds: typeof UNDER_PERFORMANCE;
};

export type PerformanceList = PerformanceContext & {
  unitId: string | null;
  organizationId: string | null;
  total: number;
  items: RecipientPerformance[];
};

export type Page = { limit: number; offset: number };

/** Organizations ranked by their month, with the work on participants of a unit (and below) when given. */
export class ListOrganizationPerformance extends Query<ReadAnswer<PerformanceList>> {
  constructor(
    readonly month: Month,
    readonly filter: { unitId?: string; scheme?: Scheme },
    readonly page: Page,
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

/** Agents ranked by their month, with only the work credited to an organization when given. */
export class ListAgentPerformance extends Query<ReadAnswer<PerformanceList>> {
  constructor(
    readonly month: Month,
    readonly filter: { unitId?: string; organizationId?: string; scheme?: Scheme },
    readonly page: Page,
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

export type PerformanceReport = PerformanceContext & {
  /** How many organizations (or agents) the rank is among. */
  rankedAmong: number;
  performance: RecipientPerformance;
};

export class GetOrganizationPerformance extends Query<ReadAnswer<PerformanceReport>> {
  constructor(
    readonly organizationId: string,
    readonly month: Month,
    readonly scheme: Scheme | undefined,
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

export class GetAgentPerformance extends Query<ReadAnswer<PerformanceReport>> {
  constructor(
    readonly agentId: string,
    readonly month: Month,
    readonly scheme: Scheme | undefined,
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

/**
 * Everyone in scope, ranked: those credited with work in the year to the end of the month,
 * with an allocation of the year, or (for an organization's agents) assigned to it that year.
 */
async function ranked(
  manager: EntityManager,
  scope: PerformanceScope,
  month: Month,
  include: string[] = [],
): Promise<RecipientPerformance[]> {
  const span = monthSpan(month);
  const activity = await activityOfRecipients(manager, scope, span);
  const renewals = await renewalsOfRecipients(manager, scope, span);
  const targets = await targetsOfRecipients(manager, scope, span);
  const members = new Set([...activity.keys(), ...renewals.keys(), ...include]);
  if (scope.kind === 'agent' && scope.organizationId) {
    for (const id of await agentsAssignedTo(manager, scope.organizationId, span)) members.add(id);
  } else {
    for (const id of targets.keys()) members.add(id);
  }
  const recipients = await recipientsById(manager, scope.kind, [...members]);
  const figures = [...members].map((id) =>
    performanceFigures({
      id,
      name: recipients.get(id)?.name ?? null,
      month: { ...(activity.get(id)?.month ?? IDLE), ...(renewals.get(id)?.month ?? NONE_DUE) },
      yearToDate: {
        ...(activity.get(id)?.yearToDate ?? IDLE),
        ...(renewals.get(id)?.yearToDate ?? NONE_DUE),
      },
      targets: targets.get(id) ?? { participants: null, contributions: null },
    }),
  );
  return rankPerformance(figures).map((item) => ({
    ...item,
    organizationId: recipients.get(item.id)?.organizationId ?? null,
  }));
}

async function requireRecipient(manager: EntityManager, kind: RecipientKind, id: string) {
  if (!(await recipientsById(manager, kind, [id])).has(id)) {
    throw new NotInReadModel(kind === 'organization' ? 'collection organization' : 'agent', id);
  }
}

async function requireUnit(manager: EntityManager, unitId: string | undefined) {
  if (unitId && !(await unitsById(manager, [unitId])).has(unitId)) {
    throw new NotInReadModel('unit', unitId);
  }
}

function listOf(
  items: RecipientPerformance[],
  month: Month,
  filter: { unitId?: string; organizationId?: string; scheme?: Scheme },
  page: Page,
): PerformanceList {
  return {
    month,
    scheme: filter.scheme ?? null,
    thresholds: UNDER_PERFORMANCE,
    unitId: filter.unitId ?? null,
    organizationId: filter.organizationId ?? null,
    total: items.length,
    items: items.slice(page.offset, page.offset + page.limit),
  };
}

@QueryHandler(ListOrganizationPerformance)
export class ListOrganizationPerformanceHandler implements IQueryHandler<ListOrganizationPerformance> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ month, filter, page, options }: ListOrganizationPerformance) {
    return this.reader.read(PERFORMANCE_SOURCES, options, async (manager) => {
      await requireUnit(manager, filter.unitId);
      const items = await ranked(manager, { kind: 'organization', ...filter }, month);
      return listOf(items, month, filter, page);
    });
  }
}

@QueryHandler(ListAgentPerformance)
export class ListAgentPerformanceHandler implements IQueryHandler<ListAgentPerformance> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ month, filter, page, options }: ListAgentPerformance) {
    return this.reader.read(PERFORMANCE_SOURCES, options, async (manager) => {
      await requireUnit(manager, filter.unitId);
      if (filter.organizationId) {
        await requireRecipient(manager, 'organization', filter.organizationId);
      }
      const items = await ranked(manager, { kind: 'agent', ...filter }, month);
      return listOf(items, month, filter, page);
    });
  }
}

async function performanceOf(
  manager: EntityManager,
  kind: RecipientKind,
  id: string,
  month: Month,
  scheme: Scheme | undefined,
): Promise<PerformanceReport> {
  await requireRecipient(manager, kind, id);
  const items = await ranked(manager, { kind, scheme }, month, [id]);
  return {
    month,
    scheme: scheme ?? null,
    thresholds: UNDER_PERFORMANCE,
    rankedAmong: items.length,
    performance: items.find((item) => item.id === id)!,
  };
}

@QueryHandler(GetOrganizationPerformance)
export class GetOrganizationPerformanceHandler implements IQueryHandler<GetOrganizationPerformance> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ organizationId, month, scheme, options }: GetOrganizationPerformance) {
    return this.reader.read(PERFORMANCE_SOURCES, options, (manager) =>
      performanceOf(manager, 'organization', organizationId, month, scheme),
    );
  }
}

@QueryHandler(GetAgentPerformance)
export class GetAgentPerformanceHandler implements IQueryHandler<GetAgentPerformance> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ agentId, month, scheme, options }: GetAgentPerformance) {
    return this.reader.read(PERFORMANCE_SOURCES, options, (manager) =>
      performanceOf(manager, 'agent', agentId, month, scheme),
    );
  }
}
