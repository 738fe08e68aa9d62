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
  const lines = function* () {
    let chunk: string[] = [];
    for (const event of events) {
      chunk.push(copyLine(event));
      count++;
      if (chunk.length === 1000) {
        yield chunk.join('');
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk.join('');
  };
  await pipeline(
    Readable.from(lines()),
    client.query(copyFrom(`COPY ${table} (${EVENT_INSERT_COLUMNS}) FROM STDIN`)),
  );
  return count;
}

/** Where a chained COPY starts: the log's last hash, and the record time of the new events. */
export type ChainStart = { hash: string; recordedAt: Date };

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
  const recordedAt = start.recordedAt.toISOString();
  const lines = function* () {
    let chunk: string[] = [];
    for (const event of events) {
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
          recordedAt: start.recordedAt,
        }),
      );
      chunk.push(
        `${copyLine(event).slice(0, -1)}\t${recordedAt}\t\\\\x${hash}\t\\\\x${previous}\n`,
      );
      previous = hash;
      count++;
      if (chunk.length === 1000) {
        yield chunk.join('');
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk.join('');
  };
  await pipeline(
    Readable.from(lines()),
    client.query(
      copyFrom(
        `COPY events (${EVENT_INSERT_COLUMNS}, recorded_at, hash, previous_hash) FROM STDIN`,
      ),
    ),
  );
  return count;
}

/** COPY (text format) of `(stream_id, revision)` rows into `event_streams`. */
export async function copyStreams(
  client: pg.ClientBase,
  streams: Iterable<{ streamId: string; revision: number }>,
): Promise<void> {
  const lines = function* () {
    let chunk: string[] = [];
    for (const { streamId, revision } of streams) {
      chunk.push(`${escape(streamId)}\t${revision}\n`);
      if (chunk.length === 1000) {
        yield chunk.join('');
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk.join('');
  };
  await pipeline(
    Readable.from(lines()),
    client.query(copyFrom('COPY event_streams (stream_id, revision) FROM STDIN')),
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
