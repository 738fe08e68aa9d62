import type pg from 'pg';
import { type KeptHead, type LogVerification, ChainCheck } from '../chain/chain-check.js';
import { type ChainedEvent, GENESIS_HASH, canonicalJson } from '../chain/event-hash.js';
import { RestoreConflict } from '../errors.js';
import type { LogRange, RestoreResult } from '../event-store.js';
import { APPEND_LOCK } from './append-lock.js';
import { EVENT_COLUMNS, type EventRow, toRecordedEvent } from './event-rows.js';
import { UNIQUE_VIOLATION } from './pg-errors.js';
import { STREAM_ORDER, compareCodePoints } from './stream-order.js';

type ChainedRow = EventRow & { hash: string; previous_hash: string };

type Head = { position: number; hash: string; recordedAt?: Date };

const VERIFY_PAGE = 2_000;

async function head(db: pg.Pool | pg.PoolClient): Promise<Head> {
  const { rows } = await db.query<{ global_position: string; hash: string; recorded_at: Date }>(
    `SELECT global_position, encode(hash, 'hex') AS hash, recorded_at
     FROM events ORDER BY global_position DESC LIMIT 1`,
  );
  if (rows.length === 0) return { position: 0, hash: GENESIS_HASH };
  const [last] = rows;
  return { position: Number(last.global_position), hash: last.hash, recordedAt: last.recorded_at };
}

/** One page of the chained log: after `after`, up to `through`, recorded in [from, to). */
async function readPage(
  pool: pg.Pool,
  page: { after: number; through: number; from?: Date; to?: Date; limit: number },
): Promise<ChainedEvent[]> {
  const { rows } = await pool.query<ChainedRow>(
    `SELECT ${EVENT_COLUMNS},
            encode(hash, 'hex') AS hash, encode(previous_hash, 'hex') AS previous_hash
     FROM events
     WHERE global_position > $1 AND global_position <= $2
       AND ($3::timestamptz IS NULL OR recorded_at >= $3)
       AND ($4::timestamptz IS NULL OR recorded_at < $4)
     ORDER BY global_position LIMIT $5`,
    [page.after, page.through, page.from ?? null, page.to ?? null, page.limit],
  );
  return rows.map((row) => ({
    ...toRecordedEvent(row),
    hash: row.hash,
    previousHash: row.previous_hash,
  }));
}

/** The chained log up to the head it had when the read began, page by page. */
export async function* readChain(
  pool: pg.Pool,
  { from, to, pageSize = 1_000 }: LogRange = {},
): AsyncIterable<ChainedEvent[]> {
  const { position: through } = await head(pool);
  let after = 0;
  for (;;) {
    const page = await readPage(pool, { after, through, from, to, limit: pageSize });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].position;
  }
}

/** Walks the whole chain, holding one page at a time. */
export async function verifyChain(pool: pg.Pool, kept?: KeptHead): Promise<LogVerification> {
  const check = new ChainCheck(kept);
  for await (const page of readChain(pool, { pageSize: VERIFY_PAGE })) {
    for (const event of page) {
      if (check.add(event)) return check.finish();
    }
  }
  return check.finish();
}

/**
 * Writes a checked chunk of an export (`checkRestoreChunk`) at the head of the log, under the
 * append lock. Events the log already holds, with the same hash at the same position, are
 * skipped (a re-run after a crash); the rest must link to the head's hash, come after its
 * position and record time, and continue their streams' revisions.
 */
export async function restoreChunk(
  client: pg.PoolClient,
  events: readonly ChainedEvent[],
): Promise<RestoreResult> {
  await client.query(APPEND_LOCK);
  const last = await head(client);
  const overlap = events.filter((event) => event.position <= last.position);
  if (overlap.length > 0) {
    const { rows } = await client.query<{ global_position: string; hash: string }>(
      `SELECT global_position, encode(hash, 'hex') AS hash FROM events
       WHERE global_position = ANY($1::bigint[])`,
      [overlap.map((event) => event.position)],
    );
    const stored = new Map(rows.map((row) => [Number(row.global_position), row.hash]));
    for (const { position, hash } of overlap) {
      const found = stored.get(position);
      if (found !== hash) {
        throw new RestoreConflict(
          found
            ? `position ${position} of the log holds another event (hash ${found}) than the chunk's (hash ${hash})`
            : `the log ends at position ${last.position}, and has no event at position ${position} as the chunk has`,
        );
      }
    }
  }
  const fresh = events.slice(overlap.length);
  if (fresh.length === 0) {
    return { restored: 0, alreadyRestored: true, headPosition: last.position, headHash: last.hash };
  }
  const [first] = fresh;
  if (first.previousHash !== last.hash) {
    throw new RestoreConflict(
      last.position === 0
        ? `the log is empty, but the event at position ${first.position} links to hash ` +
            `${first.previousHash}: restore an export of the whole log, from its first line`
        : `the log ends at position ${last.position} with hash ${last.hash}, but the event at ` +
            `position ${first.position} links to hash ${first.previousHash}`,
    );
  }
  if (last.recordedAt && first.recordedAt < last.recordedAt) {
    throw new RestoreConflict(
      `the event at position ${first.position} was recorded before the log's last event`,
    );
  }
  await continueStreams(client, fresh);
  try {
    await client.query(
      `INSERT INTO events (global_position, event_id, stream_id, stream_revision, type, schema_version,
                           data, metadata, occurred_at, recorded_at, hash, previous_hash)
       OVERRIDING SYSTEM VALUE
       SELECT global_position, event_id, stream_id, stream_revision, type, schema_version, data,
              metadata, occurred_at, recorded_at, decode(hash, 'hex'), decode(previous_hash, 'hex')
       FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::int[],
                   $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[])
         AS e(global_position, event_id, stream_id, stream_revision, type, schema_version, data,
              metadata, occurred_at, recorded_at, hash, previous_hash)`,
      [
        fresh.map((event) => event.position),
        fresh.map((event) => event.id),
        fresh.map((event) => event.streamId),
        fresh.map((event) => event.revision),
        fresh.map((event) => event.type),
        fresh.map((event) => event.schemaVersion),
        fresh.map((event) => canonicalJson(event.data)),
        fresh.map((event) => canonicalJson(event.metadata)),
        fresh.map((event) => event.occurredAt),
        fresh.map((event) => event.recordedAt),
        fresh.map((event) => event.hash),
        fresh.map((event) => event.previousHash),
      ],
    );
  } catch (error) {
    const pgError = error as { code?: string; detail?: string };
    if (pgError.code === UNIQUE_VIOLATION)
      throw new RestoreConflict(pgError.detail ?? 'an event is stored');
    throw error;
  }
  const end = fresh[fresh.length - 1];
  // Appends draw their positions after the restored ones. The append lock keeps anyone from
  // drawing meanwhile; if this transaction rolls back, the next append leaves a harmless gap.
  await client.query(`SELECT setval(pg_get_serial_sequence('events', 'global_position'), $1)`, [
    end.position,
  ]);
  return {
    restored: fresh.length,
    alreadyRestored: false,
    headPosition: end.position,
    headHash: end.hash,
  };
}

/** Moves each stream's revision on, refusing events that do not continue their stream. */
async function continueStreams(client: pg.PoolClient, events: readonly ChainedEvent[]) {
  const { rows } = await client.query<{ stream_id: string; revision: string }>(
    `SELECT stream_id, revision FROM event_streams WHERE stream_id = ANY($1::text[])
     ORDER BY ${STREAM_ORDER} FOR UPDATE`,
    [[...new Set(events.map((event) => event.streamId))]],
  );
  const revisions = new Map(rows.map((row) => [row.stream_id, Number(row.revision)]));
  for (const { streamId, revision, position } of events) {
    const expected = (revisions.get(streamId) ?? -1) + 1;
    if (revision !== expected) {
      throw new RestoreConflict(
        `the event at position ${position} has revision ${revision} of stream ${streamId}, ` +
          `whose next revision in the log is ${expected}`,
      );
    }
    revisions.set(streamId, revision);
  }
  const moved = [...revisions].sort(([a], [b]) => compareCodePoints(a, b));
  await client.query(
    `INSERT INTO event_streams (stream_id, revision)
     SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision`,
    [moved.map(([streamId]) => streamId), moved.map(([, revision]) => revision)],
  );
}
