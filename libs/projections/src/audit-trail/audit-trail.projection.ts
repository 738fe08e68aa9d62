import { localDateAt } from '#domain';
import type { RecordedEvent } from '#event-store';
import { changeOf } from '../participation/participation.projection.js';
import { type Statement, inOneStatement } from '../runner/in-one-statement.js';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const AUDIT_EVENTS_TABLE = 'audit_events';
export const AUDIT_STREAMS_TABLE = 'audit_streams';

type Attribution = { unitIds: string[]; scheme: string | null };

/** The units and scheme an event names itself, if any. */
function ownAttribution(event: RecordedEvent): Attribution | undefined {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const units = [
    data.unitId,
    data.scopeUnitId,
    ...(Array.isArray(data.scopeUnitIds) ? data.scopeUnitIds : []),
  ].filter((unit): unit is string => typeof unit === 'string');
  if (units.length === 0) return undefined;
  return {
    unitIds: [...new Set(units)],
    scheme: typeof data.scheme === 'string' ? data.scheme : null,
  };
}

/**
 * The business day from which an event counts in figures: a report's or enrollment's day, a
 * plan's start or a revision's effective date, a unit change's effective date. Null for
 * events that count on no day of their own.
 */
export function figureDayOf(event: RecordedEvent): string | null {
  const change = changeOf(event);
  if (change) return change.day;
  const data = (event.data ?? {}) as Record<string, unknown>;
  const day = data.effectiveFrom ?? data.effectiveDate ?? data.startDate;
  return typeof day === 'string' ? day : null;
}

/**
 * An index of the log for auditors: who recorded each event, when, under which business
 * date, and the units it concerns (its own `unitId`/scope, or else the first units named on
 * its stream, e.g. a campaign's extension belongs to the campaign's scope). The events
 * themselves stay in the store; history pages read them by position.
 */
export const auditTrailProjection: Projection = {
  name: 'audit-trail',
  tables: [AUDIT_EVENTS_TABLE, AUDIT_STREAMS_TABLE],
  logIndexes: [AUDIT_EVENTS_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const streams = await knownStreams(context, events);
    const firstNamed = new Map<string, Attribution>();
    const rows = events.map((event) => {
      // Streams first named in this batch count for the events after them in it.
      const own = ownAttribution(event);
      if (own && !streams.has(event.streamId)) {
        streams.set(event.streamId, own);
        firstNamed.set(event.streamId, own);
      }
      const attribution = own ?? streams.get(event.streamId) ?? { unitIds: [], scheme: null };
      return { event, ...attribution };
    });
    // In a rebuild both COPY at once; live, both INSERTs go as one statement.
    await inOneStatement(context, [
      await writeEvents(context, rows),
      firstNamed.size > 0 ? await writeStreams(context, [...firstNamed.entries()]) : undefined,
    ]);
  },
};

const EVENT_COLUMNS = [
  'position',
  'event_id',
  'stream_id',
  'revision',
  'type',
  'actor',
  'source',
  'correlation_id',
  'occurred_at',
  'recorded_at',
  'business_date',
  'unit_ids',
  'scheme',
  'figure_day',
] as const;

/**
 * One row of `audit_events` per event, in EVENT_COLUMNS' order: copied at once in a rebuild
 * (every event is new to it), else the INSERT answered.
 */
async function writeEvents(
  context: ProjectionContext,
  attributed: ({ event: RecordedEvent } & Attribution)[],
): Promise<Statement | undefined> {
  const rows = attributed.map(({ event, unitIds, scheme }) => [
    event.position,
    event.id,
    event.streamId,
    event.revision,
    event.type,
    event.metadata.actor,
    event.metadata.source ?? null,
    event.metadata.correlationId,
    event.occurredAt,
    event.recordedAt,
    localDateAt(event.occurredAt),
    unitIds,
    scheme,
    figureDayOf(event),
  ]);
  const table = context.table(AUDIT_EVENTS_TABLE);
  if (context.copy) {
    await context.copy(table, EVENT_COLUMNS, rows);
    return undefined;
  }
  const unitIds = EVENT_COLUMNS.indexOf('unit_ids');
  return {
    sql: `INSERT INTO ${table} (${EVENT_COLUMNS.join(', ')})
     SELECT e.position, e.event_id, e.stream_id, e.revision, e.type, e.actor, e.source,
            e.correlation_id, e.occurred_at, e.recorded_at, e.business_date,
            ARRAY(SELECT jsonb_array_elements_text(e.unit_ids)), e.scheme, e.figure_day
       FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::text[],
                   $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::date[],
                   $12::jsonb[], $13::text[], $14::date[])
         AS e (${EVENT_COLUMNS.join(', ')})
     ON CONFLICT (position) DO NOTHING`,
    params: EVENT_COLUMNS.map((_, column) =>
      rows.map((row) => (column === unitIds ? JSON.stringify(row[column]) : row[column])),
    ),
  };
}

/**
 * The streams first named in the batch: copied at once in a rebuild (none of them has a row
 * yet), else the INSERT answered.
 */
async function writeStreams(
  context: ProjectionContext,
  named: [string, Attribution][],
): Promise<Statement | undefined> {
  const table = context.table(AUDIT_STREAMS_TABLE);
  if (context.copy) {
    await context.copy(
      table,
      ['stream_id', 'unit_ids', 'scheme'],
      named.map(([stream, { unitIds, scheme }]) => [stream, unitIds, scheme]),
    );
    return undefined;
  }
  return {
    sql: `INSERT INTO ${table} (stream_id, unit_ids, scheme)
     SELECT s.stream_id, ARRAY(SELECT jsonb_array_elements_text(s.unit_ids)), s.scheme
       FROM unnest($1::text[], $2::jsonb[], $3::text[]) AS s (stream_id, unit_ids, scheme)
     ON CONFLICT (stream_id) DO NOTHING`,
    params: [
      named.map(([stream]) => stream),
      named.map(([, { unitIds }]) => JSON.stringify(unitIds)),
      named.map(([, { scheme }]) => scheme),
    ],
  };
}

/** The attributions stored for the batch's streams; one that begins in the batch has none. */
async function knownStreams(
  context: ProjectionContext,
  events: RecordedEvent[],
): Promise<Map<string, Attribution>> {
  const begun = new Set(
    events.filter((event) => event.revision === 0).map((event) => event.streamId),
  );
  const streamIds = [...new Set(events.map((event) => event.streamId))].filter(
    (streamId) => !begun.has(streamId),
  );
  if (streamIds.length === 0) return new Map();
  const rows = await context.query<{
    stream_id: string;
    unit_ids: string[];
    scheme: string | null;
  }>(
    `SELECT stream_id, unit_ids, scheme FROM ${context.table(AUDIT_STREAMS_TABLE)}
      WHERE stream_id = ANY($1::text[])`,
    [streamIds],
  );
  return new Map(rows.map((row) => [row.stream_id, { unitIds: row.unit_ids, scheme: row.scheme }]));
}
