import type pg from 'pg';
import { EventStoreClosed, InvalidRestore, StreamRevisionConflict } from '../errors.js';
import {
  EventStore,
  type AppendResult,
  type LogRange,
  type ReadAllOptions,
  type RestoreResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamWrite,
  type SubscribeOptions,
} from '../event-store.js';
import type { KeptHead, LogVerification } from '../chain/chain-check.js';
import type { ChainedEvent } from '../chain/event-hash.js';
import { checkRestoreChunk } from '../chain/exported-event.js';
import { validateWrites } from '../validate-writes.js';
import { AppendQueue, type PendingAppend } from './append-queue.js';
import { CommitSignal } from './commit-signal.js';
import { readChain, restoreChunk, verifyChain } from './postgres-log.js';
import { EVENT_COLUMNS, type EventRow, toRecordedEvent } from './event-rows.js';
import { RECORDED_IDS, type RecordedId, earlierOf, summarise } from './append-results.js';
import {
  INSERT_EVENTS,
  type StoredPosition,
  chainedInsertValues,
  lockChainHead,
  serializeRows,
} from './event-insert.js';
import { type GroupOutcome, writeGroup, writeGroupAtOnce } from './group-commit.js';
import { isUniqueViolation } from './pg-errors.js';
import { type EventRowToInsert, fitsExpectation } from './stream-revisions.js';
import { STREAM_ORDER, byStreamId } from './stream-order.js';

export type PostgresEventStoreOptions = {
  /** How often a live subscription looks for events appended by other processes. */
  pollIntervalMs?: number;
  /**
   * Commit the appends that arrive while a commit is in flight together, in one transaction
   * (default true). False: one transaction per append, as before grouping existed.
   */
  groupCommits?: boolean;
  /**
   * A group of at least this many events commits in one round trip, through the
   * `append_part` function, when every write expects an exact revision or `no_stream`
   * (default 16; 1: every such group; Infinity: never). Smaller groups take the three round
   * trips of `writeGroup`: with 8 single-event writers the function measured slower
   * (docs/benchmarks.md, "The event store as a library").
   */
  oneRoundTripMinEvents?: number;
  /**
   * Events per call of `append_part` in a group committed in one round trip (default
   * APPEND_GROUP_PART_EVENTS): the store encodes a part while the database inserts the one
   * before.
   */
  appendGroupPartEvents?: number;
  /** Test seam: runs inside the append transaction just before COMMIT. */
  beforeCommit?: () => Promise<void>;
  /** Where the store reports failures it recovers from (default: the console). */
  logger?: StoreLogger;
};

/** Nest's Logger fits. */
export type StoreLogger = { warn(message: string): void };

/** Events per grouped commit; an import batch larger than this commits alone. */
const MAX_GROUP_EVENTS = 10_000;

const UNDEFINED_FUNCTION = '42883';

/** See `oneRoundTripMinEvents`. */
const ONE_ROUND_TRIP_MIN_EVENTS = 16;

export class PostgresEventStore extends EventStore {
  private readonly commits = new CommitSignal();
  private readonly tailReads = new Map<string, Promise<RecordedEvent[]>>();
  private readonly queue?: AppendQueue;
  /** Writes taken and not yet settled: `close` waits for them. */
  private readonly writing = new Set<Promise<unknown>>();
  private closed = false;
  /** Whether groups may go in one round trip (false once the function is found missing). */
  private appendGroupFunction = true;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    super();
    if (options.groupCommits ?? true) {
      this.queue = new AppendQueue((group) => this.commitGroup(group), MAX_GROUP_EVENTS);
    }
  }

  /**
   * Stops taking writes (they throw `EventStoreClosed`) and waits until every write already
   * taken, queued ones included, has committed or failed: then the pool may end.
   */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing.size > 0) await Promise.allSettled([...this.writing]);
  }

  appendToStreams(writes: StreamWrite[]): Promise<AppendResult[]> {
    return this.taken(() => this.appendTaken(writes));
  }

  private taken<T>(write: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new EventStoreClosed());
    const written = write();
    this.writing.add(written);
    const settled = () => this.writing.delete(written);
    written.then(settled, settled);
    return written;
  }

  private async appendTaken(writes: StreamWrite[]): Promise<AppendResult[]> {
    validateWrites(writes);
    try {
      const results = await (this.queue ? this.queue.add(writes) : this.writeAlone(writes));
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

  /** One append in a transaction of its own, reported to the observers if it wrote. */
  private async writeAlone(writes: StreamWrite[]): Promise<AppendResult[]> {
    const results = await this.transaction((client) => this.write(client, writes));
    if (!results.some((result) => result.alreadyRecorded)) {
      this.committed({ appends: 1, events: eventsOf(writes) });
    }
    return results;
  }

  private async write(client: pg.PoolClient, writes: StreamWrite[]): Promise<AppendResult[]> {
    const earlier = await this.earlierResults(client, writes);
    if (earlier) return earlier;
    const { rows, checked } = await this.advanceStreams(client, writes);
    const inserted = await this.insert(client, rows);
    await this.checkStillAbsent(client, writes);
    await this.options.beforeCommit?.();
    return summarise(writes, inserted, false, checked);
  }

  /**
   * A stream checked as absent (`no_stream`, no events) had no row to lock: under the append
   * lock, it must still be absent, or another append created it before this one's turn.
   */
  private async checkStillAbsent(client: pg.PoolClient, writes: StreamWrite[]): Promise<void> {
    const absent = writes
      .filter((write) => write.events.length === 0 && write.expectedRevision === 'no_stream')
      .map((write) => write.streamId);
    if (absent.length === 0) return;
    const { rows } = await client.query<{ stream_id: string; revision: string }>(
      `SELECT stream_id, revision FROM event_streams WHERE stream_id = ANY($1::text[])
       ORDER BY ${STREAM_ORDER}`,
      [absent],
    );
    if (rows.length > 0) {
      throw new StreamRevisionConflict(rows[0].stream_id, 'no_stream', Number(rows[0].revision));
    }
  }

  /**
   * One transaction for a group of appends: each is checked as if it ran alone after the ones
   * before it (an append that conflicts, or repeats one recorded earlier, gets its own answer
   * and writes nothing), then the survivors' events go in with one INSERT and one COMMIT. An
   * append to many streams (an import batch) goes this way even alone: a few set-based
   * statements instead of one round trip per stream.
   */
  private async commitGroup(group: PendingAppend[]): Promise<void> {
    let outcomes: GroupOutcome[];
    try {
      const events = group.reduce((sum, pending) => sum + eventsOf(pending.writes), 0);
      const atOnce =
        this.options.beforeCommit ||
        !this.appendGroupFunction ||
        events < (this.options.oneRoundTripMinEvents ?? ONE_ROUND_TRIP_MIN_EVENTS)
          ? undefined
          : await this.pipelined((client) =>
              writeGroupAtOnce(client, group, this.options.appendGroupPartEvents),
            ).catch((error: unknown) => {
              // A database not migrated yet: the long way, from now on.
              if ((error as { code?: string }).code !== UNDEFINED_FUNCTION) throw error;
              this.appendGroupFunction = false;
              return undefined;
            });
      outcomes =
        atOnce ??
        (await this.pipelined((client) => writeGroup(client, group, this.options.beforeCommit)));
    } catch (error) {
      // The group failed as a whole: a broken connection, a deadlock with another process's
      // group, an event id another process recorded meanwhile. Each append tries again alone,
      // and answers as it would have without grouping. Said, because a cause that repeats
      // (a bug, a database in trouble) turns every group into single appends.
      (this.options.logger ?? console).warn(
        `A group of ${group.length} appends failed as a whole and is retried append by append: ${describe(error)}`,
      );
      await Promise.all(
        group.map(({ writes, resolve, reject }) => this.writeAlone(writes).then(resolve, reject)),
      );
      return;
    }
    let appends = 0;
    let events = 0;
    outcomes.forEach((outcome, index) => {
      if ('results' in outcome && !outcome.results.some((result) => result.alreadyRecorded)) {
        appends++;
        events += eventsOf(group[index].writes);
      }
    });
    if (appends > 0) this.committed({ appends, events });
    group.forEach((pending, index) => {
      const outcome = outcomes[index];
      if ('results' in outcome) pending.resolve(outcome.results);
      else pending.reject(outcome.error);
    });
  }

  /**
   * Moves each stream's revision on (checking the expectation and locking its row) and
   * returns the events to insert with their revisions.
   */
  private async advanceStreams(
    client: pg.PoolClient,
    writes: StreamWrite[],
  ): Promise<{ rows: EventRowToInsert[]; checked: Map<string, number> }> {
    const firstRevisions = new Map<string, number>();
    const checked = new Map<string, number>();
    for (const write of [...writes].sort(byStreamId)) {
      if (write.events.length === 0) {
        checked.set(write.streamId, await this.checkStream(client, write));
        continue;
      }
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
    return { rows, checked };
  }

  /**
   * A check: locks the stream's row until the append commits, so no other append moves it on
   * meanwhile, and compares its revision with the expectation. Returns the revision found.
   */
  private async checkStream(
    client: pg.PoolClient,
    { streamId, expectedRevision }: StreamWrite,
  ): Promise<number> {
    const { rows } = await client.query<{ revision: string }>(
      'SELECT revision FROM event_streams WHERE stream_id = $1 FOR UPDATE',
      [streamId],
    );
    const actual = rows.length > 0 ? Number(rows[0].revision) : -1;
    if (!fitsExpectation(expectedRevision, actual))
      throw new StreamRevisionConflict(streamId, expectedRevision, actual);
    return actual;
  }

  /**
   * Takes the append lock (held until the transaction ends) and inserts the rows, in order,
   * each chained to the one before (docs/log-integrity.md). Under the lock, the commit reads the
   * last event's hash and takes its record time, to the millisecond and never earlier than the
   * last event's, so record times never decrease in position order.
   */
  private async insert(client: pg.PoolClient, rows: EventRowToInsert[]): Promise<StoredPosition[]> {
    const contents = serializeRows(rows);
    const head = await lockChainHead(client);
    const inserted = await client.query<StoredPosition>(
      INSERT_EVENTS,
      chainedInsertValues(rows, contents, head),
    );
    return inserted.rows;
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

  /** The append's original result if it was recorded before (see `earlierOf`). */
  private async earlierResults(
    db: pg.Pool | pg.PoolClient,
    writes: StreamWrite[],
  ): Promise<AppendResult[] | undefined> {
    const ids = writes.flatMap((write) => write.events.map((event) => event.id));
    return earlierOf(writes, await this.recordedIds(db, ids));
  }

  /** The stored events among these ids, by id (lower case, as PostgreSQL prints UUIDs). */
  private async recordedIds(
    db: pg.Pool | pg.PoolClient,
    ids: string[],
  ): Promise<Map<string, RecordedId>> {
    const found = await db.query<RecordedId>(RECORDED_IDS, [ids.map((id) => id.toLowerCase())]);
    return new Map(found.rows.map((row) => [row.event_id, row]));
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

  override async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const read = new Map<string, RecordedEvent[]>(streamIds.map((streamId) => [streamId, []]));
    if (read.size === 0) return read;
    const result = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ANY($1::text[])
       ORDER BY stream_id, stream_revision`,
      [[...read.keys()]],
    );
    for (const row of result.rows) read.get(row.stream_id)!.push(toRecordedEvent(row));
    return read;
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
      const batch = await this.tailRead(committed.generation, checkpoint, batchSize);
      if (batch.length > 0) {
        checkpoint = batch[batch.length - 1].position;
        yield batch;
      }
      if (batch.length < batchSize) {
        await committed.wait(this.options.pollIntervalMs ?? 100, signal);
      }
    }
  }

  /**
   * The live subscriptions of a process (one per projection) wake together on each commit and
   * ask for the same page: one read answers all that ask for it at the same commit generation.
   * Such a read started after that generation was reached, so it sees every commit signalled
   * before any of them took it. The answer is shared: its events must not be modified.
   */
  private tailRead(generation: number, after: number, maxCount: number): Promise<RecordedEvent[]> {
    const key = `${generation}:${after}:${maxCount}`;
    let reading = this.tailReads.get(key);
    if (!reading) {
      reading = this.readAll({ after, maxCount }).finally(() => this.tailReads.delete(key));
      this.tailReads.set(key, reading);
    }
    return reading;
  }

  async headPosition(): Promise<number> {
    const result = await this.pool.query<{ head: string | null }>(
      'SELECT max(global_position) AS head FROM events',
    );
    return Number(result.rows[0].head ?? 0);
  }

  /**
   * Record times never decrease along the log (each append takes the later of the clock and
   * the head's time), so the last event recorded by `time` is the top of the `recorded_at`
   * index below it: one index probe, however far back. `max(global_position)` was planned as
   * a backward scan of the primary key, which read every event after `time`.
   */
  override async positionAt(time: Date): Promise<number> {
    const result = await this.pool.query<{ position: string }>(
      `SELECT global_position AS position FROM events WHERE recorded_at <= $1
       ORDER BY recorded_at DESC, global_position DESC LIMIT 1`,
      [time],
    );
    return Number(result.rows[0]?.position ?? 0);
  }

  override async readPositions(positions: readonly number[]): Promise<RecordedEvent[]> {
    const result = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position = ANY($1::bigint[])
       ORDER BY global_position`,
      [positions],
    );
    return result.rows.map(toRecordedEvent);
  }

  override verifyLog(kept?: KeptHead): Promise<LogVerification> {
    return verifyChain(this.pool, kept);
  }

  override exportLog(range?: LogRange): AsyncIterable<ChainedEvent[]> {
    return readChain(this.pool, range);
  }

  override restoreLog(events: ChainedEvent[]): Promise<RestoreResult> {
    return this.taken(() => this.restoreTaken(events));
  }

  private async restoreTaken(events: ChainedEvent[]): Promise<RestoreResult> {
    checkRestoreChunk(events);
    if (events.length === 0) throw new InvalidRestore(0, 'chunk', 'holds no events');
    const result = await this.transaction((client) => restoreChunk(client, events));
    if (result.restored > 0) this.commits.notify();
    return result;
  }

  /**
   * A connection in pipeline mode for the work, which sends BEGIN and COMMIT itself: queries
   * go out without waiting for the answers before them. Rolled back if the work fails.
   */
  private async pipelined<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    // Switched while the connection is idle, and back before it returns to the pool.
    setPipeline(client, true);
    try {
      return await work(client);
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken ??= rollbackError));
      throw error;
    } finally {
      setPipeline(client, false);
      client.off('error', onError);
      client.release(broken);
    }
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

function eventsOf(writes: readonly StreamWrite[]): number {
  return writes.reduce((sum, write) => sum + write.events.length, 0);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: string }).code;
  return code ? `${error.message} (${code})` : error.message;
}

/** node-postgres reads the flag at every send; it is only a constructor option in its types. */
function setPipeline(client: pg.PoolClient, on: boolean): void {
  (client as { pipeline: boolean }).pipeline = on;
}
