import type pg from 'pg';
import { EventIdReused, StreamRevisionConflict } from '../errors.js';
import {
  EventStore,
  type AppendResult,
  type EventMetadata,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamWrite,
  type SubscribeOptions,
} from '../event-store.js';
import { validateWrites } from '../validate-writes.js';
import { CommitSignal } from './commit-signal.js';

export type PostgresEventStoreOptions = {
  /** How often a live subscription looks for events appended by other processes. */
  pollIntervalMs?: number;
  /** Test seam: runs inside the append transaction just before COMMIT. */
  beforeCommit?: () => Promise<void>;
};

/**
 * Serialises position assignment and commit across every writer (see docs/event-store.md),
 * so a global position never becomes visible before a lower one.
 */
const APPEND_LOCK = 'SELECT pg_advisory_xact_lock(7243, 1)';

const EVENT_COLUMNS = `global_position, event_id, stream_id, stream_revision, type, schema_version,
  data, metadata, occurred_at, recorded_at`;

type EventRow = {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  occurred_at: Date;
  recorded_at: Date;
};

type RecordedId = {
  event_id: string;
  stream_id: string;
  stream_revision: string;
  global_position: string;
};

const UNIQUE_VIOLATION = '23505';

export class PostgresEventStore extends EventStore {
  private readonly commits = new CommitSignal();

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    super();
  }

  async appendToStreams(writes: StreamWrite[]): Promise<AppendResult[]> {
    validateWrites(writes);
    try {
      const results = await this.transaction((client) => this.write(client, writes));
      if (results.some((result) => !result.alreadyRecorded)) this.commits.notify();
      return results;
    } catch (error) {
      // A concurrent retry of the same append may have won the race: answer as it did.
      if (
        error instanceof StreamRevisionConflict ||
        isUniqueViolation(error, 'events_event_id_key')
      ) {
        const earlier = await this.earlierResults(this.pool, writes);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  private async write(client: pg.PoolClient, writes: StreamWrite[]): Promise<AppendResult[]> {
    const earlier = await this.earlierResults(client, writes);
    if (earlier) return earlier;

    const firstRevisions = new Map<string, number>();
    // Lock stream rows in one order so that multi-stream appends cannot deadlock.
    for (const write of [...writes].sort((a, b) => (a.streamId < b.streamId ? -1 : 1))) {
      const last = await this.advanceStream(client, write);
      firstRevisions.set(write.streamId, last - write.events.length + 1);
    }

    const rows = writes.flatMap(({ streamId, events }) =>
      events.map((event, index) => ({
        streamId,
        revision: firstRevisions.get(streamId)! + index,
        event,
      })),
    );
    await client.query(APPEND_LOCK);
    const inserted = await client.query<{
      stream_id: string;
      stream_revision: string;
      global_position: string;
    }>(
      `INSERT INTO events (event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at)
       SELECT event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at
       FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::timestamptz[])
         WITH ORDINALITY AS e(event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at, n)
       ORDER BY n
       RETURNING stream_id, stream_revision, global_position`,
      [
        rows.map((row) => row.event.id),
        rows.map((row) => row.streamId),
        rows.map((row) => row.revision),
        rows.map((row) => row.event.type),
        rows.map((row) => row.event.schemaVersion ?? 1),
        rows.map((row) => JSON.stringify(row.event.data)),
        rows.map((row) => JSON.stringify(row.event.metadata)),
        rows.map((row) => row.event.occurredAt),
      ],
    );
    await this.options.beforeCommit?.();
    return summarise(writes, inserted.rows, false);
  }

  /** Moves the stream's revision on by the number of events, checking the expectation. */
  private async advanceStream(
    client: pg.PoolClient,
    { streamId, events, expectedRevision }: StreamWrite,
  ) {
    const count = events.length;
    let result: pg.QueryResult<{ revision: string }>;
    if (expectedRevision === 'no_stream') {
      result = await client.query(
        `INSERT INTO event_streams (stream_id, revision) VALUES ($1, $2 - 1)
         ON CONFLICT (stream_id) DO NOTHING RETURNING revision`,
        [streamId, count],
      );
    } else if (expectedRevision === 'any') {
      result = await client.query(
        `INSERT INTO event_streams (stream_id, revision) VALUES ($1, $2 - 1)
         ON CONFLICT (stream_id) DO UPDATE SET revision = event_streams.revision + $2 RETURNING revision`,
        [streamId, count],
      );
    } else {
      result = await client.query(
        `UPDATE event_streams SET revision = revision + $2
         WHERE stream_id = $1 AND ($3::bigint IS NULL OR revision = $3) RETURNING revision`,
        [streamId, count, expectedRevision === 'stream_exists' ? null : expectedRevision],
      );
    }
    if (result.rows.length === 1) return Number(result.rows[0].revision);
    const actual = await client.query<{ revision: string }>(
      'SELECT revision FROM event_streams WHERE stream_id = $1',
      [streamId],
    );
    throw new StreamRevisionConflict(
      streamId,
      expectedRevision,
      actual.rows.length ? Number(actual.rows[0].revision) : -1,
    );
  }

  /**
   * Idempotency: when every event id of the append is already stored, in the same streams,
   * the append was made before and its original result is returned. A partial match is an error.
   */
  private async earlierResults(
    db: pg.Pool | pg.PoolClient,
    writes: StreamWrite[],
  ): Promise<AppendResult[] | undefined> {
    const ids = writes.flatMap((write) => write.events.map((event) => event.id.toLowerCase()));
    const found = await db.query<RecordedId>(
      `SELECT event_id, stream_id, stream_revision, global_position FROM events
       WHERE event_id = ANY($1::uuid[]) ORDER BY global_position`,
      [ids],
    );
    if (found.rows.length === 0) return undefined;
    const streamOf = new Map(
      writes.flatMap((write) => write.events.map((e) => [e.id.toLowerCase(), write.streamId])),
    );
    const misplaced = found.rows.filter((row) => streamOf.get(row.event_id) !== row.stream_id);
    if (misplaced.length > 0) {
      throw new EventIdReused(
        misplaced.map((row) => row.event_id),
        `already recorded in stream ${misplaced[0].stream_id}`,
      );
    }
    if (found.rows.length < ids.length) {
      const seen = new Set(found.rows.map((row) => row.event_id));
      throw new EventIdReused(
        found.rows.map((row) => row.event_id),
        `recorded before in another append, together with fewer events than now (${ids.filter((id) => !seen.has(id)).length} new)`,
      );
    }
    return summarise(writes, found.rows, true);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const result = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE stream_id = $1 AND ($2::bigint IS NULL OR stream_revision ${backwards ? '<=' : '>='} $2)
       ORDER BY stream_revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [streamId, options.fromRevision ?? null, options.maxCount ?? null],
    );
    return result.rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const result = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE ($1::bigint IS NULL OR global_position ${backwards ? '<=' : '>='} $1)
         AND ($2::bigint IS NULL OR global_position > $2)
       ORDER BY global_position ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [options.fromPosition ?? null, options.after ?? null, options.maxCount ?? null],
    );
    return result.rows.map(toRecordedEvent);
  }

  async *subscribeToAll({
    after,
    batchSize = 500,
    signal,
  }: SubscribeOptions): AsyncIterable<RecordedEvent[]> {
    let checkpoint = after;
    while (!signal?.aborted) {
      const committed = this.commits.next();
      const batch = await this.readAll({ after: checkpoint, maxCount: batchSize });
      if (batch.length > 0) {
        checkpoint = batch[batch.length - 1].position;
        yield batch;
      }
      if (batch.length < batchSize) {
        await committed.wait(this.options.pollIntervalMs ?? 100, signal);
      }
    }
  }

  async headPosition(): Promise<number> {
    const result = await this.pool.query<{ head: string | null }>(
      'SELECT max(global_position) AS head FROM events',
    );
    return Number(result.rows[0].head ?? 0);
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no listener of the pool's: without this one, a connection that
    // breaks mid-append (restart, failover, killed backend) would crash the process.
    let broken: Error | undefined;
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken ??= rollbackError));
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}

function summarise(
  writes: StreamWrite[],
  rows: { stream_id: string; stream_revision: string; global_position: string }[],
  alreadyRecorded: boolean,
): AppendResult[] {
  return writes.map(({ streamId }) => {
    const own = rows.filter((row) => row.stream_id === streamId);
    return {
      streamId,
      revision: Math.max(...own.map((row) => Number(row.stream_revision))),
      position: Math.max(...own.map((row) => Number(row.global_position))),
      alreadyRecorded,
    };
  });
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    streamId: row.stream_id,
    revision: Number(row.stream_revision),
    position: Number(row.global_position),
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    metadata: row.metadata,
  };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError?.code === UNIQUE_VIOLATION && pgError.constraint === constraint;
}
