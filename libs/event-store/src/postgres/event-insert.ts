import type pg from 'pg';
import {
  DATA_AT,
  GENESIS_HASH,
  type SerializedContent,
  chainHash,
  contentAt,
  serializeContent,
} from '../chain/event-hash.js';
import { APPEND_LOCK } from './append-lock.js';
import type { EventRowToInsert } from './stream-revisions.js';

/**
 * The last event's hash, and the record time of a commit that follows it: the database's clock
 * to the millisecond, or the last event's record time if the clock reads earlier.
 */
export const CHAIN_HEAD = `SELECT encode(last.hash, 'hex') AS hash,
    greatest(date_trunc('milliseconds', clock_timestamp()), last.recorded_at) AS recorded_at
  FROM (SELECT 1) AS one
  LEFT JOIN (SELECT hash, recorded_at FROM events ORDER BY global_position DESC LIMIT 1) AS last ON true`;

export type ChainHead = { hash: string | null; recorded_at: Date };

export type StoredPosition = {
  stream_id: string;
  stream_revision: string;
  global_position: string;
};

/**
 * Inserts events in the order given, so that positions follow the chain. `data` and `metadata`
 * come as one JSON array each ($6, $7), the events' canonical JSON joined with commas: as
 * `jsonb[]` parameters, node-postgres would escape every quote of every document into an
 * array literal, and the server unescape it again.
 */
export const INSERT_EVENTS = `INSERT INTO events (event_id, stream_id, stream_revision, type, schema_version, data, metadata,
                     occurred_at, recorded_at, hash, previous_hash)
  SELECT event_id, stream_id, stream_revision, type, schema_version, data, metadata,
         occurred_at, $9, decode(hash, 'hex'), decode(previous_hash, 'hex')
  FROM ROWS FROM (unnest($1::uuid[]), unnest($2::text[]), unnest($3::bigint[]), unnest($4::text[]),
                  unnest($5::int[]), jsonb_array_elements($6::jsonb), jsonb_array_elements($7::jsonb),
                  unnest($8::timestamptz[]), unnest($10::text[]), unnest($11::text[]))
    WITH ORDINALITY AS e(event_id, stream_id, stream_revision, type, schema_version, data, metadata,
                         occurred_at, hash, previous_hash, n)
  ORDER BY n
  RETURNING stream_id, stream_revision, global_position`;

/** Each event's canonical content, written out around the record time it does not know yet. */
export function serializeRows(rows: readonly EventRowToInsert[]): SerializedContent[] {
  return rows.map(({ streamId, revision, event }) =>
    serializeContent({
      id: event.id,
      streamId,
      revision,
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      data: event.data,
      metadata: event.metadata,
      occurredAt: event.occurredAt,
    }),
  );
}

/**
 * Takes the append lock (held until the transaction ends) and reads the chain's head under it.
 * Both go out at once; each statement reads with a snapshot of its own.
 */
export async function lockChainHead(client: pg.PoolClient): Promise<ChainHead> {
  const [, head] = (await client.query(
    `${APPEND_LOCK}; ${CHAIN_HEAD}`,
  )) as unknown as pg.QueryResult<ChainHead>[];
  return head.rows[0];
}

/**
 * The parameters of INSERT_EVENTS: the rows chained one after another from the head
 * (docs/log-integrity.md), all with the record time read under the lock.
 */
export function chainedInsertValues(
  rows: readonly EventRowToInsert[],
  contents: readonly SerializedContent[],
  head: ChainHead,
): unknown[] {
  const links: string[] = [];
  const hashes: string[] = [];
  let previous = head.hash ?? GENESIS_HASH;
  const recordedAt = head.recorded_at.toISOString();
  for (const content of contents) {
    links.push(previous);
    previous = chainHash(previous, contentAt(content, recordedAt));
    hashes.push(previous);
  }
  return [
    rows.map((row) => row.event.id),
    rows.map((row) => row.streamId),
    rows.map((row) => row.revision),
    rows.map((row) => row.event.type),
    rows.map((row) => row.event.schemaVersion ?? 1),
    jsonArray(contents, 'data'),
    jsonArray(contents, 'metadata'),
    rows.map((row) => row.event.occurredAt),
    head.recorded_at,
    hashes,
    links,
  ];
}

/**
 * The contents as `append_part` reads them: every event's `before` and `after` in UTF-8, one
 * after another, in one buffer (node-postgres sends a Buffer in binary), with the lengths in
 * bytes of each part and where `data` and `metadata` lie in `before`. Between `data` and
 * `metadata`, `before` holds the keys and the event id, ASCII (validateWrites accepts only
 * UUIDs), so their length in bytes is their length in characters.
 */
export function contentBytes(contents: readonly SerializedContent[]): {
  bytes: Buffer;
  before: number[];
  after: number[];
  dataAt: number[];
  data: number[];
  metadataAt: number[];
  metadata: number[];
} {
  const layout = {
    before: [] as number[],
    after: [] as number[],
    dataAt: [] as number[],
    data: [] as number[],
    metadataAt: [] as number[],
    metadata: [] as number[],
  };
  let text = '';
  for (const content of contents) {
    const data = Buffer.byteLength(content.data);
    const metadata = Buffer.byteLength(content.metadata);
    // The ASCII stretches keep their length; `data` and `metadata` take theirs in bytes.
    const metadataAt = content.metadataAt - content.data.length + data;
    layout.before.push(
      content.before.length - content.metadata.length + metadata + metadataAt - content.metadataAt,
    );
    layout.after.push(Buffer.byteLength(content.after));
    layout.dataAt.push(DATA_AT);
    layout.data.push(data);
    layout.metadataAt.push(metadataAt);
    layout.metadata.push(metadata);
    text += content.before + content.after;
  }
  return { bytes: Buffer.from(text, 'utf8'), ...layout };
}

/** The documents as one JSON array: each is JSON already, so they are joined, not escaped. */
function jsonArray(contents: readonly SerializedContent[], field: 'data' | 'metadata'): string {
  let out = '[';
  for (let index = 0; index < contents.length; index++) {
    out += (index === 0 ? '' : ',') + contents[index][field];
  }
  return `${out}]`;
}
