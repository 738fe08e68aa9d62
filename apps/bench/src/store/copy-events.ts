import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
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
