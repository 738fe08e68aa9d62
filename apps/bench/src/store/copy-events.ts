import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { chainHash, eventContent } from '#event-store';
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
  await copyLines(
    client,
    'COPY event_streams (stream_id, revision) FROM STDIN',
    (function* () {
      for (const { streamId, revision } of streams) yield `${escape(streamId)}\t${revision}\n`;
    })(),
  );
}

export function copyLine(event: GeneratedEvent): string {
  return (
    [
      event.eventId,
      escape(event.streamId),
      event.revision,
      escape(event.type),
      1,
      escape(JSON.stringify(event.data)),
      escape(JSON.stringify(event.metadata)),
      event.occurredAt.toISOString(),
    ].join('\t') + '\n'
  );
}

/** COPY's text format gives backslash, tab and line breaks a meaning: escape them. */
function escape(value: string): string {
  return value.replace(
    /[\\\t\n\r]/g,
    (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!,
  );
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

/** COPY (text format) of the lines into the statement, a thousand lines a write. */
async function copyLines(client: pg.ClientBase, copy: string, lines: Iterable<string>) {
  const chunks = function* () {
    let chunk: string[] = [];
    for (const line of lines) {
      chunk.push(line);
      if (chunk.length === 1000) {
        yield chunk.join('');
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk.join('');
  };
  await pipeline(Readable.from(chunks()), client.query(copyFrom(copy)));
}
