import { type LocalDate, type SchemeScope, membersOf, yearOf } from '#domain';
import { EventStore, type RecordedEvent } from '#event-store';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { type EntityManager } from 'typeorm';
import { PLANS_TABLE } from '../plans/plans.projection.js';
import {
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';
import { unitOrFail } from '../attainment/attainment.reads.js';
import { subtreeOf } from '../unit-hierarchy/subtree.js';
import { AUDIT_EVENTS_TABLE } from './audit-trail.projection.js';

/** One event as auditors see it: who recorded it, when, for which business date, and what. */
export type AuditEntry = {
  position: number;
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  actor: string;
  source: string | null;
  correlationId: string;
  occurredAt: string;
  recordedAt: string;
  businessDate: LocalDate;
  /** The business day from which it counts in figures, when it has one. */
  figureDay: LocalDate | null;
  unitIds: string[];
  scheme: string | null;
  data: unknown;
  metadata: Record<string, unknown>;
};

/** A page of entries in log order; `next` is the `after` of the following page. */
export type AuditPage = { entries: AuditEntry[]; next: number | null };

export type Cursor = { after?: number; limit: number };

export type HistoryFilter = {
  streamId?: string;
  /** The unit and every unit that rolls up into it (merged units included). */
  unitId?: string;
  actor?: string;
  types?: string[];
  /** Record time, from inclusive, to exclusive. */
  recordedFrom?: Date;
  recordedTo?: Date;
  /** Business date, both inclusive. */
  businessFrom?: LocalDate;
  businessTo?: LocalDate;
};

/** Events of the log, filtered by stream, unit, actor, type and time, a page at a time. */
export class GetHistory extends Query<ReadAnswer<AuditPage>> {
  constructor(
    readonly filter: HistoryFilter,
    readonly cursor: Cursor,
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

/** The events a unit's attainment of a scheme (or a group's members) on a date is computed from. */
export class GetAttainmentLineage extends Query<ReadAnswer<AuditPage>> {
  constructor(
    readonly unitId: string,
    readonly scheme: SchemeScope,
    readonly date: LocalDate,
    readonly cursor: Cursor,
    readonly options: ReadOptions & {
      /** Only events recorded after this position: what changed since. */
      recordedAfter?: number;
      /** Only events that happened (business date) after this date. */
      happenedAfter?: LocalDate;
    } = {},
  ) {
    super();
  }
}

export const PARTICIPATION_EVENT_TYPES = [
  'OpeningStockRecorded',
  'ParticipationReported',
  'ParticipationReportCorrected',
  'ParticipantEnrolled',
  'ParticipantStopped',
  'ParticipantResumed',
];

export const HIERARCHY_EVENT_TYPES = [
  'AdministrativeUnitRegistered',
  'AdministrativeUnitMoved',
  'AdministrativeUnitMerged',
  'AdministrativeUnitsAbsorbed',
];

type IndexRow = {
  position: string;
  business_date: string;
  figure_day: string | null;
  unit_ids: string[];
  scheme: string | null;
};

const INDEX_COLUMNS = `a.position, to_char(a.business_date, 'YYYY-MM-DD') AS business_date,
  to_char(a.figure_day, 'YYYY-MM-DD') AS figure_day, a.unit_ids, a.scheme`;

/** Pages the index with `conditions`, then reads the page's events from the store. */
class AuditPages {
  constructor(
    private readonly reader: ReadModelReader,
    private readonly store: EventStore,
  ) {}

  async page(
    projections: string[],
    options: ReadOptions,
    cursor: Cursor,
    select: (manager: EntityManager) => Promise<{ sql: string; params: unknown[] }>,
  ): Promise<ReadAnswer<AuditPage>> {
    const answer = await this.reader.read(projections, options, async (manager) => {
      const { sql, params } = await select(manager);
      const rows: IndexRow[] = await manager.query(
        `${sql} AND a.position > $${params.length + 1} ORDER BY a.position LIMIT $${params.length + 2}`,
        [...params, cursor.after ?? 0, cursor.limit + 1],
      );
      return rows;
    });
    const rows = answer.data.slice(0, cursor.limit);
    const events = new Map(
      (await this.store.readPositions(rows.map((row) => Number(row.position)))).map((event) => [
        event.position,
        event,
      ]),
    );
    const entries = rows.flatMap((row) => {
      const event = events.get(Number(row.position));
      return event ? [entryOf(event, row)] : [];
    });
    const next = answer.data.length > cursor.limit ? Number(rows[rows.length - 1].position) : null;
    return { ...answer, data: { entries, next } };
  }
}

function entryOf(event: RecordedEvent, row: IndexRow): AuditEntry {
  const { actor, correlationId, source, ...metadata } = event.metadata;
  return {
    position: event.position,
    eventId: event.id,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    actor,
    source: source ?? null,
    correlationId,
    occurredAt: event.occurredAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    businessDate: row.business_date,
    figureDay: row.figure_day,
    unitIds: row.unit_ids,
    scheme: row.scheme,
    data: event.data,
    metadata,
  };
}

@QueryHandler(GetHistory)
export class GetHistoryHandler implements IQueryHandler<GetHistory> {
  private readonly pages: AuditPages;

  constructor(reader: ReadModelReader, store: EventStore) {
    this.pages = new AuditPages(reader, store);
  }

  execute({ filter, cursor, options }: GetHistory): Promise<ReadAnswer<AuditPage>> {
    const sources = filter.unitId ? ['audit-trail', 'unit-hierarchy'] : ['audit-trail'];
    return this.pages.page(sources, options, cursor, async (manager) => {
      if (filter.unitId) await unitOrFail(manager, filter.unitId);
      const params: unknown[] = [];
      const where: string[] = [];
      const bind = (value: unknown) => `$${params.push(value)}`;
      let subtree = '';
      if (filter.unitId) {
        subtree = `WITH ${subtreeOf(bind(filter.unitId))} `;
        where.push('a.unit_ids && ARRAY(SELECT unit_id FROM subtree)');
      }
      if (filter.streamId) where.push(`a.stream_id = ${bind(filter.streamId)}`);
      if (filter.actor) where.push(`a.actor = ${bind(filter.actor)}`);
      if (filter.types?.length) where.push(`a.type = ANY(${bind(filter.types)}::text[])`);
      if (filter.recordedFrom) where.push(`a.recorded_at >= ${bind(filter.recordedFrom)}`);
      if (filter.recordedTo) where.push(`a.recorded_at < ${bind(filter.recordedTo)}`);
      if (filter.businessFrom) where.push(`a.business_date >= ${bind(filter.businessFrom)}`);
      if (filter.businessTo) where.push(`a.business_date <= ${bind(filter.businessTo)}`);
      return {
        sql: `${subtree}SELECT ${INDEX_COLUMNS} FROM ${AUDIT_EVENTS_TABLE} a WHERE ${
          where.length > 0 ? where.join(' AND ') : 'true'
        }`,
        params,
      };
    });
  }
}

@QueryHandler(GetAttainmentLineage)
export class GetAttainmentLineageHandler implements IQueryHandler<GetAttainmentLineage> {
  private readonly pages: AuditPages;

  constructor(reader: ReadModelReader, store: EventStore) {
    this.pages = new AuditPages(reader, store);
  }

  execute(query: GetAttainmentLineage): Promise<ReadAnswer<AuditPage>> {
    const { unitId, scheme, date, cursor, options } = query;
    return this.pages.page(
      ['audit-trail', 'unit-hierarchy', 'plans'],
      options,
      cursor,
      async (manager) => {
        await unitOrFail(manager, unitId);
        // Counts of the unit's subtree up to the date (of every member of a group), the unit's
        // own plan of the date's year (a group's own), and the changes to the subtree that
        // decide what rolls up into it.
        return {
          sql: `WITH ${subtreeOf('$1')}, units AS (SELECT array_agg(unit_id) AS ids FROM subtree)
            SELECT ${INDEX_COLUMNS} FROM ${AUDIT_EVENTS_TABLE} a, units
             WHERE a.figure_day <= $3::date AND a.position > $6
               AND ($9::date IS NULL OR a.business_date > $9::date)
               AND (   (a.type = ANY($4::text[]) AND a.scheme = ANY($8) AND a.unit_ids && units.ids)
                    OR (a.type = ANY($5::text[]) AND a.unit_ids && units.ids)
                    OR a.stream_id IN (SELECT 'plan-' || plan_id FROM ${PLANS_TABLE}
                                        WHERE unit_id = $1 AND scheme = $2
                                          AND metric = 'participants' AND year = $7))`,
          params: [
            unitId,
            scheme,
            date,
            PARTICIPATION_EVENT_TYPES,
            HIERARCHY_EVENT_TYPES,
            options.recordedAfter ?? 0,
            yearOf(date),
            membersOf(scheme),
            options.happenedAfter ?? null,
          ],
        };
      },
    );
  }
}
