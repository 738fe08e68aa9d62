import type pg from 'pg';
import { EventIdReused } from '../errors.js';
import type { AppendResult, StreamWrite } from '../event-store.js';
import { APPEND_LOCK } from './append-lock.js';
import { isUniqueViolation } from './pg-errors.js';
import type { PendingAppend } from './append-queue.js';
import { bareArray, textArray } from './array-literals.js';
import { RECORDED_IDS, type RecordedId, earlierOf, summarise } from './append-results.js';
import {
  CHAIN_HEAD,
  type ChainHead,
  INSERT_EVENTS,
  type StoredPosition,
  chainedInsertValues,
  contentBytes,
  serializeRows,
} from './event-insert.js';
import { STREAM_ORDER } from './stream-order.js';
import { type EventRowToInsert, planRevisions } from './stream-revisions.js';

/** What one append of a group comes to: its results, or its own error. */
export type GroupOutcome = { results: AppendResult[] } | { error: unknown };

/**
 * Another process created a stream this group creates, or one it checks to be absent: its
 * appends are checked again alone.
 */
export class StreamCreatedConcurrently extends Error {
  constructor() {
    super('A stream this group creates was created concurrently elsewhere');
  }
}

/**
 * One transaction for a group of appends, in three round trips on a pipelined connection:
 *
 * 1. BEGIN, the look-up of the group's event ids (idempotency) and the lock of every existing
 *    stream of the group (one statement, in lock order);
 * 2. the stream rows moved on and created, the append lock and the chain's head under it;
 * 3. the events' INSERT and the COMMIT.
 *
 * Between them, here: each append is checked as if it ran alone after the ones before it (an
 * append that conflicts, or repeats one recorded earlier, gets its own answer and writes
 * nothing), and the events are encoded, then chained. On error the caller rolls back.
 */
export async function writeGroup(
  client: pg.PoolClient,
  group: readonly PendingAppend[],
  beforeCommit?: () => Promise<void>,
): Promise<GroupOutcome[]> {
  const ids = group.flatMap(({ writes }) =>
    writes.flatMap((write) => write.events.map((event) => event.id.toLowerCase())),
  );
  const streamIds = [
    ...new Set(group.flatMap(({ writes }) => writes.map((write) => write.streamId))),
  ];
  const begun = send(client, 'BEGIN');
  const recordedRows = send<RecordedId>(client, RECORDED_IDS, [ids]);
  const lockedRows = send<{ stream_id: string; revision: string }>(
    client,
    `SELECT stream_id, revision FROM event_streams WHERE stream_id = ANY($1::text[])
     ORDER BY ${STREAM_ORDER} FOR UPDATE`,
    [streamIds],
  );
  await begun;
  const recorded = new Map((await recordedRows).rows.map((row) => [row.event_id, row]));
  const answered: (GroupOutcome | undefined)[] = [];
  const unanswered = group.map(({ writes }, index) => {
    try {
      const earlier = earlierOf(writes, recorded);
      if (!earlier) return writes;
      answered[index] = { results: earlier };
    } catch (error) {
      if (!(error instanceof EventIdReused)) throw error;
      answered[index] = { error };
    }
    return undefined;
  });
  const locked = await lockedRows;
  const plan = planRevisions(
    new Map(locked.rows.map((row) => [row.stream_id, Number(row.revision)])),
    unanswered,
  );
  const rows = plan.outcomes.flatMap((outcome) =>
    outcome && 'rows' in outcome ? outcome.rows : [],
  );

  let inserted: StoredPosition[] = [];
  if (rows.length === 0) {
    await send(client, 'COMMIT');
  } else {
    const moved =
      plan.moved.size > 0
        ? send(
            client,
            `UPDATE event_streams AS s SET revision = m.revision
             FROM unnest($1::text[], $2::bigint[]) AS m (stream_id, revision)
             WHERE s.stream_id = m.stream_id`,
            [[...plan.moved.keys()], [...plan.moved.values()]],
          )
        : undefined;
    const created =
      plan.created.size > 0
        ? send(
            client,
            `INSERT INTO event_streams (stream_id, revision)
             SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (stream_id) DO NOTHING`,
            [[...plan.created.keys()], [...plan.created.values()]],
          )
        : undefined;
    const lock = send(client, APPEND_LOCK);
    const head = send<ChainHead>(client, CHAIN_HEAD);
    // A stream checked as absent had no row to lock: it must still be absent under the lock.
    const absent = absentChecks(group, plan.outcomes);
    const appeared =
      absent.length > 0
        ? send(client, 'SELECT stream_id FROM event_streams WHERE stream_id = ANY($1::text[])', [
            absent,
          ])
        : undefined;
    // Encoded while the database works on the statements above.
    const contents = serializeRows(rows);
    await moved;
    // Another process created one of these streams since the look-up: the appends that
    // counted on it being new must be checked again, alone.
    if (created && (await created).rowCount !== plan.created.size) {
      throw new StreamCreatedConcurrently();
    }
    await lock;
    if (appeared && (await appeared).rows.length > 0) throw new StreamCreatedConcurrently();
    const insert = send<StoredPosition>(
      client,
      INSERT_EVENTS,
      chainedInsertValues(rows, contents, (await head).rows[0]),
    );
    if (beforeCommit) {
      await insert;
      await beforeCommit();
    }
    // COMMIT goes out behind the INSERT; had the INSERT failed, it would answer ROLLBACK.
    const [insertResult] = await Promise.all([insert, send(client, 'COMMIT')]);
    inserted = insertResult.rows;
  }

  const stored = new Map(inserted.map((row) => [`${row.stream_revision}:${row.stream_id}`, row]));
  return group.map((pending, index) => {
    const outcome = plan.outcomes[index];
    if (!outcome) return answered[index]!;
    if ('conflict' in outcome) return { error: outcome.conflict };
    const own = outcome.rows.map((row) => stored.get(`${row.revision}:${row.streamId}`)!);
    return { results: summarise(pending.writes, own, false, outcome.checked) };
  });
}

/**
 * What `append_part` raises when the group must go the long way, having written nothing that
 * survives: `LA001` (a revision that does not fit, a stream checked as absent that exists), or
 * a unique key's refusal (an event id recorded before, a stream it creates that exists).
 */
function goesTheLongWay(error: unknown): boolean {
  return (
    (error as { code?: string } | undefined)?.code === 'LA001' ||
    isUniqueViolation(error, 'events_event_id_key') ||
    isUniqueViolation(error, 'event_streams_pkey')
  );
}

/** Events a part of `append_part` carries: the library encodes one while the database inserts the one before. */
export const APPEND_GROUP_PART_EVENTS = 250;

/**
 * The group in one round trip (BEGIN, the `append_part` calls, COMMIT, pipelined), when every
 * write expects an exact revision or `no_stream` and no stream is named twice: then every
 * revision is known here, and the database only checks them, chains and inserts. The first
 * call checks, locks and moves every stream of the group; one call per part of the events
 * follows, each encoded here while the database works on the call before, and each taking the
 * append lock only once the database has it whole and answering the position of its first
 * event (the others run on from it). Undefined when the
 * group does not qualify, or when the function found an id recorded before, a revision that
 * does not fit or a stream created meanwhile: it wrote nothing, and `writeGroup` gives each
 * append its own answer. On another error the caller rolls back.
 */
export async function writeGroupAtOnce(
  client: pg.PoolClient,
  group: readonly PendingAppend[],
  partEvents = APPEND_GROUP_PART_EVENTS,
): Promise<GroupOutcome[] | undefined> {
  const writes = group.flatMap((pending) => pending.writes);
  const named = new Set<string>();
  for (const { streamId, expectedRevision } of writes) {
    if (named.has(streamId)) return undefined;
    if (typeof expectedRevision !== 'number' && expectedRevision !== 'no_stream') return undefined;
    named.add(streamId);
  }
  const expected = writes.map(({ expectedRevision }) =>
    typeof expectedRevision === 'number' ? expectedRevision : -1,
  );
  const begun = send(client, 'BEGIN');
  const streamsCall = send<FirstPosition>(client, APPEND_PART, [
    textArray(writes.map((write) => write.streamId)),
    bareArray(expected),
    bareArray(writes.map((write, index) => expected[index] + write.events.length)),
    '{}',
    ...eventValues([]),
    false,
  ]);
  const parts: { events: number; call: Promise<pg.QueryResult<FirstPosition>> }[] = [];
  // The first part checks, under the append lock, the streams that must still be absent.
  const absent = textArray(absentIn(writes));
  for (const [index, rows] of partsOf(writes, expected, partEvents).entries()) {
    // What the socket did not take at once goes out when the event loop turns: let it turn, so
    // that the database has the call before while this one is encoded.
    if (index > 0) await new Promise((resolve) => setImmediate(resolve));
    const call = send<FirstPosition>(client, APPEND_PART, [
      '{}',
      '{}',
      '{}',
      index === 0 ? absent : '{}',
      ...eventValues(rows),
      index > 0,
    ]);
    parts.push({ events: rows.length, call });
  }
  // Had the function raised, COMMIT answers ROLLBACK.
  const committed = send(client, 'COMMIT');
  await begun;
  // The positions of the group's events, in the order of its writes: a part's run on unbroken
  // from its first.
  const positions: number[] = [];
  let failed: { error: unknown } | undefined;
  for (const { events, call } of [{ events: 0, call: streamsCall }, ...parts]) {
    // Behind a call that raised, the others fail as the aborted transaction's statements.
    await call.then(
      (result) => {
        const first = Number(result.rows[0].first);
        for (let offset = 0; offset < events; offset++) positions.push(first + offset);
      },
      (error: unknown) => (failed ??= { error }),
    );
  }
  if (failed) {
    await committed.catch(() => undefined);
    if (goesTheLongWay(failed.error)) return undefined;
    throw failed.error;
  }
  await committed;
  let next = 0;
  return group.map(({ writes: own }) => {
    const ends = own.map(({ events }) => (next += events.length));
    // A check (a write without events) answers the position of its append's last event.
    const last = positions[next - 1];
    return {
      results: own.map(({ streamId, events, expectedRevision }, index) => ({
        streamId,
        revision: (typeof expectedRevision === 'number' ? expectedRevision : -1) + events.length,
        position: events.length > 0 ? positions[ends[index] - 1] : last,
        alreadyRecorded: false,
      })),
    };
  });
}

/** The answer of `append_part`: its part's first position (none for the streams' call). */
type FirstPosition = { first: string | null };

const APPEND_PART = `SELECT append_part(
  $1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::uuid[], $6::text[], $7::bigint[], $8::text[],
  $9::int[], $10::timestamptz[], $11::bytea, $12::int[], $13::int[], $14::int[], $15::int[],
  $16::int[], $17::int[], $18::boolean) AS first`;

/**
 * The group's events in the order of the chain, in parts of about `size` events that never
 * split a write (a write larger than `size` is a part of its own).
 */
function partsOf(
  writes: readonly StreamWrite[],
  expected: readonly number[],
  size: number,
): EventRowToInsert[][] {
  const parts: EventRowToInsert[][] = [];
  let part: EventRowToInsert[] = [];
  writes.forEach(({ streamId, events }, index) => {
    if (part.length > 0 && part.length + events.length > size) {
      parts.push(part);
      part = [];
    }
    events.forEach((event, offset) =>
      part.push({ streamId, revision: expected[index] + 1 + offset, event }),
    );
  });
  if (part.length > 0) parts.push(part);
  return parts;
}

/** The per-event parameters of `append_part` ($5 to $17), the events encoded. */
function eventValues(rows: readonly EventRowToInsert[]): unknown[] {
  const content = contentBytes(serializeRows(rows));
  return [
    bareArray(rows.map((row) => row.event.id)),
    textArray(rows.map((row) => row.streamId)),
    bareArray(rows.map((row) => row.revision)),
    textArray(rows.map((row) => row.event.type)),
    bareArray(rows.map((row) => row.event.schemaVersion ?? 1)),
    occurrenceTimes(rows.map((row) => row.event.occurredAt)),
    content.bytes,
    bareArray(content.before),
    bareArray(content.after),
    bareArray(content.dataAt),
    bareArray(content.data),
    bareArray(content.metadataAt),
    bareArray(content.metadata),
  ];
}

/**
 * Times as a literal of ISO 8601 strings, which PostgreSQL reads for years 1 to 9999; outside
 * them (`+010000-…`, `-000001-…`), as Dates for node-postgres to write in its own form.
 */
function occurrenceTimes(times: readonly Date[]): string | readonly Date[] {
  const readable = times.every((time) => {
    const year = time.getUTCFullYear();
    return year >= 1 && year <= 9999;
  });
  return readable ? bareArray(times.map((time) => time.toISOString())) : times;
}

/** The streams the group's fitting appends check to be absent (`no_stream`, no events). */
function absentChecks(
  group: readonly PendingAppend[],
  outcomes: ReturnType<typeof planRevisions>['outcomes'],
): string[] {
  return group.flatMap(({ writes }, index) => {
    const outcome = outcomes[index];
    if (!outcome || 'conflict' in outcome) return [];
    return absentIn(writes);
  });
}

/** The streams these writes check to be absent: `no_stream` and no events. */
function absentIn(writes: readonly StreamWrite[]): string[] {
  return writes
    .filter((write) => write.events.length === 0 && write.expectedRevision === 'no_stream')
    .map((write) => write.streamId);
}

/**
 * A query sent at once on the pipelined connection. When one fails, those behind it fail too
 * (the transaction is aborted); whichever is awaited first reports it, and the others'
 * rejections must not go unhandled.
 */
function send<Row extends pg.QueryResultRow = pg.QueryResultRow>(
  client: pg.PoolClient,
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult<Row>> {
  const result = client.query<Row>(text, values);
  result.catch(() => undefined);
  return result;
}
