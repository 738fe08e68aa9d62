import type pg from 'pg';
import { chainHash, eventContent } from '#event-store';
import { copyLine as copyFields, copyLines, copyRows } from '#projections';
import { type GeneratedEvent } from './generated-events.js';

/** The columns every writer fills; positions and record times come from the table's defaults. */
export const EVENT_INSERT_COLUMNS =
  'event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at';

/** COPY (text format) of the events into `table`; returns how many were written. */
export async function copyEvents(
  client: pg.ClientBase,
  table: string,
  events: Iterable<GeneratedEvent>,
): Promise<number> {
  let count = 0;
  await copyLines(
    client,
    `COPY ${table} (${EVENT_INSERT_COLUMNS}) FROM STDIN`,
    (function* () {
      for (const event of events) {
        count++;
        yield copyLine(event);
      }
    })(),
  );
  return count;
}

/**
 * Where a chained COPY starts: the log's last hash, and the record time of the new events.
 * With `appends` (the sizes of successive appends), the events of the k-th append are recorded
 * at `recordedAt` + k ms, as appends of those sizes a millisecond apart would be; without it,
 * every event shares `recordedAt`.
 */
export type ChainStart = { hash: string; recordedAt: Date; appends?: readonly number[] };

/**
 * COPY of events into the store's `events` table, each chained to the one before as an append
 * chains it (docs/log-integrity.md). Run it under the append lock, from the log's head.
 */
export async function copyChainedEvents(
  client: pg.ClientBase,
  events: Iterable<GeneratedEvent>,
  start: ChainStart,
): Promise<number> {
  let count = 0;
  let previous = start.hash;
  let append = 0;
  let leftInAppend = start.appends?.[0] ?? Infinity;
  let recordedAt = start.recordedAt;
  await copyLines(
    client,
    `COPY events (${EVENT_INSERT_COLUMNS}, recorded_at, hash, previous_hash) FROM STDIN`,
    (function* () {
      for (const event of events) {
        if (leftInAppend === 0) {
          append++;
          leftInAppend = start.appends?.[append] ?? Infinity;
          recordedAt = new Date(start.recordedAt.getTime() + append);
        }
        leftInAppend--;
        const hash = chainHash(
          previous,
          eventContent({
            id: event.eventId,
            streamId: event.streamId,
            revision: event.revision,
            type: event.type,
            schemaVersion: 1,
            data: event.data,
            metadata: event.metadata,
            occurredAt: event.occurredAt,
            recordedAt,
          }),
        );
        yield `${copyLine(event).slice(0, -1)}\t${recordedAt.toISOString()}\t\\\\x${hash}\t\\\\x${previous}\n`;
        previous = hash;
        count++;
      }
    })(),
  );
  return count;
}

/** COPY (text format) of `(stream_id, revision)` rows into `event_streams`. */
export async function copyStreams(
  client: pg.ClientBase,
  streams: Iterable<{ streamId: string; revision: number }>,
): Promise<void> {
  await copyRows(
    client,
    'event_streams',
    ['stream_id', 'revision'],
    (function* () {
      for (const { streamId, revision } of streams) yield [streamId, revision];
    })(),
  );
}

/** One event's line for a COPY of EVENT_INSERT_COLUMNS: the INSERT's values, in COPY's text. */
export function copyLine(event: GeneratedEvent): string {
  return copyFields(insertValues(event));
}

/** The values of one row for a parameterised INSERT of EVENT_INSERT_COLUMNS. */
export function insertValues(event: GeneratedEvent): unknown[] {
  return [
    event.eventId,
    event.streamId,
    event.revision,
    event.type,
    1,
    JSON.stringify(event.data),
    JSON.stringify(event.metadata),
    event.occurredAt,
  ];
}
