import { setMaxListeners } from 'node:events';
import type { EventStore, RecordedEvent } from '#event-store';
import pg from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { eventsAfter } from '../queries/log-lag.js';
import { Mutex } from './mutex.js';
import { projectionTransaction } from './projection-transaction.js';
import type { Projection, ProjectionContext } from './projection.js';
import { compareHistories, historyCheckpoints } from './history-verification.js';
import { digestReadModels } from './read-model-digest.js';
import { atBatchPosition, createRowHistory, hasRowHistory, historyTable } from './row-history.js';
import {
  compareReadModels,
  type ReadModelVerification,
  VerificationRefused,
} from './read-model-verification.js';

export type ProjectionState =
  'starting' | 'running' | 'standby' | 'retrying' | 'rebuilding' | 'stopped';

export type ProjectionStatus = {
  projection: string;
  state: ProjectionState;
  checkpoint: number;
  head: number;
  /** Events stored but not yet in the read model: those after the checkpoint (positions may skip). */
  lag: number;
  lastError?: string;
};

export type ProjectionRunnerOptions = {
  batchSize?: number;
  rebuildBatchSize?: number;
  /** Wait before retrying a failed batch; doubles up to 30 s while failures repeat. */
  retryDelayMs?: number;
  /** How often a standby runner tries to take over a projection another process runs. */
  standbyPollMs?: number;
  log?: { log(message: string): void; warn(message: string): void; error(message: string): void };
};

/** Channel that hears one notification per committed projection batch: `{projection, position}`. */
export const PROJECTION_BATCH_CHANNEL = 'projection_batches';

const LOCK_NAMESPACE = 7244;
const RETIRED_SUFFIX = '__retired';

type Loop = {
  projection: Projection;
  state: ProjectionState;
  lastError?: string;
  /** Serialises batch commits with a rebuild's final swap and a verification's comparison. */
  writes: Mutex;
  done?: Promise<void>;
  /** This process holds the projection's advisory lock. */
  leader: boolean;
  /** The shadow work running on it, if any: one at a time. */
  shadowWork?: ShadowWork;
};

/** What replays the log into shadow tables beside the live ones. */
type ShadowWork = 'rebuild' | 'verification';

/**
 * Runs each projection from its checkpoint over the global log. Each batch's read-model
 * writes and its new checkpoint commit in one transaction, so a crash at any point loses
 * nothing and counts nothing twice. Across processes, an advisory lock lets one runner
 * per projection be active; the others stand by.
 */
export class UnknownProjection extends Error {
  constructor(name: string, known: string[]) {
    super(`No projection named '${name}'; known: ${known.join(', ')}`);
    this.name = 'UnknownProjection';
  }
}

/** A rebuild of one projection, as the runner recorded it: kept across restarts. */
export type RebuildRecord = {
  projection: string;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  /** The log position the rebuilt tables reflect when they were swapped in. */
  position?: number;
  error?: string;
};

/** How one projection's part of a rebuild ended. */
export type RebuildOutcome =
  { projection: string; position: number } | { projection: string; error: Error };

/** A rebuild cannot start now: another runs, or another process runs the projection. */
export class RebuildRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RebuildRefused';
  }
}

export class ProjectionRunner {
  private readonly loops = new Map<string, Loop>();
  private abort = new AbortController();
  private readonly options: Required<Omit<ProjectionRunnerOptions, 'log'>> &
    Pick<ProjectionRunnerOptions, 'log'>;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    projections: Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.options = {
      batchSize: options.batchSize ?? 500,
      rebuildBatchSize: options.rebuildBatchSize ?? 5000,
      retryDelayMs: options.retryDelayMs ?? 500,
      standbyPollMs: options.standbyPollMs ?? 2000,
      log: options.log,
    };
    for (const projection of projections) {
      if (this.loops.has(projection.name))
        throw new Error(`Two projections are named ${projection.name}`);
      this.loops.set(projection.name, {
        projection,
        state: 'stopped',
        writes: new Mutex(),
        leader: false,
      });
    }
  }

  get projections(): string[] {
    return [...this.loops.keys()];
  }

  async start(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO projection_checkpoints (projection, position) SELECT unnest($1::text[]), 0 ON CONFLICT DO NOTHING`,
      [this.projections],
    );
    this.abort = new AbortController();
    // Each loop listens on this one signal while it waits: more loops than Node's default of
    // 10 listeners is expected, not a leak.
    setMaxListeners(this.loops.size * 2 + 10, this.abort.signal);
    for (const loop of this.loops.values()) {
      loop.state = 'starting';
      loop.done = this.run(loop, this.abort.signal);
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.loops.values()].map((loop) => loop.done));
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    const rows: { projection: string; position: string }[] = await this.dataSource.query(
      'SELECT projection, position FROM projection_checkpoints WHERE projection = ANY($1)',
      [this.projections],
    );
    const checkpoints = new Map(rows.map((row) => [row.projection, Number(row.position)]));
    const lags = new Map<number, Promise<number>>();
    const lagAfter = (checkpoint: number) => {
      if (!lags.has(checkpoint)) {
        lags.set(checkpoint, eventsAfter(this.dataSource, this.store, checkpoint, head));
      }
      return lags.get(checkpoint)!;
    };
    return Promise.all(
      [...this.loops.values()].map(async ({ projection, state, lastError, shadowWork }) => {
        const checkpoint = checkpoints.get(projection.name) ?? 0;
        return {
          projection: projection.name,
          state: shadowWork === 'rebuild' ? 'rebuilding' : state,
          checkpoint,
          head,
          lag: await lagAfter(checkpoint),
          ...(lastError ? { lastError } : {}),
        };
      }),
    );
  }

  /** Resolves once every projection has committed the given position (or later). */
  async caughtUp(position: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind = (await this.status()).filter((s) => s.checkpoint < position);
      if (behind.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `Projections ${behind.map((s) => s.projection).join(', ')} did not reach ${position}`,
        );
      }
      await sleep(20);
    }
  }

  private async run(loop: Loop, signal: AbortSignal): Promise<void> {
    const { projection } = loop;
    let lockSession: pg.Client | undefined;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!lockSession) {
          lockSession = await this.takeLock(projection.name, () => (loop.leader = false));
          if (!lockSession) {
            loop.state = 'standby';
            await sleep(this.options.standbyPollMs, signal);
            continue;
          }
        }
        if (!loop.leader && !loop.shadowWork) await this.clearInterrupted(projection);
        loop.leader = true;
        loop.state = 'running';
        await this.follow(loop, signal, () => {
          failures = 0;
          delete loop.lastError;
        });
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        loop.state = 'retrying';
        loop.lastError = error instanceof Error ? error.message : String(error);
        this.options.log?.warn(
          `Projection ${projection.name} failed (attempt ${failures}): ${loop.lastError}`,
        );
        if (lockSession && !loop.leader) {
          await lockSession.end().catch(() => undefined);
          lockSession = undefined;
        }
        await sleep(Math.min(this.options.retryDelayMs * 2 ** (failures - 1), 30_000), signal);
      }
    }
    if (lockSession) {
      await lockSession
        .query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_NAMESPACE, projection.name])
        .catch(() => undefined);
      await lockSession.end().catch(() => undefined);
    }
    loop.leader = false;
    loop.state = 'stopped';
  }

  /**
   * A session-level advisory lock on a connection of its own, outside TypeORM's pool (which
   * the batches need). When that connection breaks, PostgreSQL has released the lock:
   * `onLost` runs, and the loop stops committing until it takes the lock again.
   */
  private async takeLock(projection: string, onLost: () => void): Promise<pg.Client | undefined> {
    const options = this.dataSource.options as PostgresDataSourceOptions;
    const session = new pg.Client({
      connectionString: options.url,
      host: options.host,
      port: options.port,
      user: options.username,
      password: typeof options.password === 'string' ? options.password : undefined,
      database: options.database,
      application_name: `${options.applicationName ?? 'campaign-ledger'} lock:${projection}`,
    });
    session.on('error', onLost);
    session.on('end', onLost);
    let locked = false;
    try {
      await session.connect();
      const { rows } = await session.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
        [LOCK_NAMESPACE, projection],
      );
      locked = rows[0].locked;
      return locked ? session : undefined;
    } finally {
      if (!locked) await session.end().catch(() => undefined);
    }
  }

  private async follow(loop: Loop, signal: AbortSignal, onCommitted: () => void): Promise<void> {
    const name = loop.projection.name;
    let checkpoint = await this.checkpoint(name);
    for await (const batch of this.store.subscribeToAll({
      after: checkpoint,
      batchSize: this.options.batchSize,
      signal,
    })) {
      const outcome = await loop.writes.run(() => {
        if (!loop.leader) throw new Error(`Lost the lock on ${name}; taking it again`);
        return this.commitBatch(loop.projection, checkpoint, batch, identity);
      });
      if (outcome === 'moved') return; // someone else (a rebuild) moved the checkpoint: resubscribe
      checkpoint = outcome;
      onCommitted();
    }
  }

  /**
   * One transaction: lock the checkpoint row, apply the events after it, move it on. Returns
   * the new checkpoint, or 'moved' when the stored checkpoint is not where this reader was.
   */
  private async commitBatch(
    projection: Projection,
    expected: number,
    batch: RecordedEvent[],
    tableName: (table: string) => string,
    checkpointName = projection.name,
  ): Promise<number | 'moved'> {
    return this.transaction(async (context, tx) => {
      const [row] = await tx.query(
        'SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE',
        [checkpointName],
      );
      const stored = Number(row?.position ?? 0);
      if (stored !== expected) return 'moved';
      const last = batch[batch.length - 1].position;
      await atBatchPosition(tx, last);
      await projection.apply(batch, { ...context, table: tableName });
      if (spansRecordTimes(batch)) {
        await tx.query(
          'INSERT INTO projection_batches (projection, after, last) VALUES ($1, $2, $3)',
          [checkpointName, expected, last],
        );
      }
      await tx.query(
        'UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE projection = $1',
        [checkpointName, last],
      );
      if (checkpointName === projection.name) {
        await tx.query('SELECT pg_notify($1, $2)', [
          PROJECTION_BATCH_CHANNEL,
          JSON.stringify({ projection: projection.name, position: last }),
        ]);
      }
      return last;
    });
  }

  /** Refuses at once, typed, when this process may not rebuild the projection now. */
  assertRebuildable(name: string): void {
    this.claimable(name, 'rebuild');
  }

  /** Refuses at once, typed, when this process may not verify the projection now. */
  assertVerifiable(name: string): void {
    this.claimable(name, 'verification');
  }

  /**
   * The projection's loop, if this process may run `work` on it now. Only the lock holder may:
   * a rebuild swaps tables and a verification holds the live loop still, which another
   * process's live loop would race. One shadow work at a time.
   */
  private claimable(name: string, work: ShadowWork): Loop {
    const loop = this.loops.get(name);
    if (!loop) throw new UnknownProjection(name, [...this.loops.keys()]);
    const { verb, Refusal } = shadowWork(work);
    if (!loop.leader) {
      throw new Refusal(
        `Projection ${name} is not run by this process (it is ${loop.state}); ${verb} it where it runs`,
      );
    }
    if (loop.shadowWork === work) {
      throw new Refusal(`Projection ${name} is already being ${shadowWork(work).participle}`);
    }
    if (loop.shadowWork) {
      throw new Refusal(
        `Projection ${name} is being ${shadowWork(loop.shadowWork).participle}; ${verb} it when the ${loop.shadowWork} has ended`,
      );
    }
    return loop;
  }

  /** Rebuilds one projection; see `rebuildAll`. */
  async rebuild(name: string): Promise<{ position: number }> {
    const [outcome] = await this.rebuildAll([name]);
    if ('error' in outcome) throw outcome.error;
    return { position: outcome.position };
  }

  /**
   * Blue/green rebuild of several projections with one read of the log: each page is read
   * once and applied to every projection's fresh tables while the live ones keep answering
   * queries; then each projection catches up with its live loop and swaps its tables in, with
   * its checkpoint, in one transaction. A projection whose replay or swap fails drops out, its
   * outcome holding the error, without stopping the others. Refuses at once, before starting
   * any, if one of them cannot be rebuilt by this process now (see `claimable`).
   */
  async rebuildAll(names: readonly string[]): Promise<RebuildOutcome[]> {
    const loops = [...new Set(names)].map((name) => this.claimable(name, 'rebuild'));
    for (const loop of loops) loop.shadowWork = 'rebuild';
    const startedAt = new Date();
    try {
      await this.dataSource.query(
        `INSERT INTO projection_rebuilds (projection, started_at, state)
         SELECT unnest($1::text[]), $2, 'running'`,
        [loops.map((loop) => loop.projection.name), startedAt],
      );
      const outcomes = await this.rebuildClaimed(loops).catch(async (error: Error) => {
        for (const { projection } of loops) {
          await this.recordRebuild({ projection: projection.name, error }, startedAt);
        }
        throw error;
      });
      for (const outcome of outcomes) await this.recordRebuild(outcome, startedAt);
      return outcomes;
    } finally {
      for (const loop of loops) loop.shadowWork = undefined;
    }
  }

  /** The latest recorded rebuild of each of its projections, by projection name. */
  async rebuildRecords(): Promise<RebuildRecord[]> {
    const rows: {
      projection: string;
      state: RebuildRecord['state'];
      started_at: Date;
      finished_at: Date | null;
      position: string | null;
      error: string | null;
    }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (projection) projection, state, started_at, finished_at, position, error
         FROM projection_rebuilds WHERE projection = ANY($1)
        ORDER BY projection, started_at DESC`,
      [this.projections],
    );
    return rows.map((row) => ({
      projection: row.projection,
      state: row.state,
      startedAt: row.started_at.toISOString(),
      ...(row.finished_at ? { finishedAt: row.finished_at.toISOString() } : {}),
      ...(row.position !== null ? { position: Number(row.position) } : {}),
      ...(row.error !== null ? { error: row.error } : {}),
    }));
  }

  private async recordRebuild(outcome: RebuildOutcome, startedAt: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE projection_rebuilds SET state = $3, position = $4, error = $5, finished_at = now()
        WHERE projection = $1 AND started_at = $2`,
      'error' in outcome
        ? [outcome.projection, startedAt, 'failed', null, outcome.error.message]
        : [outcome.projection, startedAt, 'done', outcome.position, null],
    );
  }

  /**
   * On taking a projection's lock: no process can be rebuilding or verifying it any more (only
   * the lock holder may), so a rebuild still recorded as running was interrupted (its process
   * died): record it as failed, and drop the shadow tables it or a verification left.
   */
  private async clearInterrupted(projection: Projection): Promise<void> {
    // A CTE, so that the driver answers the rows themselves: TypeORM answers a bare UPDATE …
    // RETURNING with [rows, count], whose length is 2 whether anything was interrupted or not.
    const interrupted: unknown[] = await this.dataSource.query(
      `WITH interrupted AS (
         UPDATE projection_rebuilds
            SET state = 'failed', finished_at = now(),
                error = 'Interrupted: the process that ran it stopped before it ended'
          WHERE projection = $1 AND state = 'running' RETURNING projection
       )
       SELECT projection FROM interrupted`,
      [projection.name],
    );
    for (const work of ['rebuild', 'verification'] as const) {
      if (await this.hasShadow(projection, work)) await this.dropShadow(projection, work);
    }
    if (interrupted.length > 0) {
      this.options.log?.warn(
        `An interrupted rebuild of ${projection.name} is recorded as failed; its tables are dropped`,
      );
    }
  }

  /** Whether shadow tables or a shadow checkpoint for `work` are left. */
  private async hasShadow(projection: Projection, work: ShadowWork): Promise<boolean> {
    const { shadow, shadowCheckpoint } = shadowNames(projection.name, work);
    const [{ found }] = await this.dataSource.query(
      `SELECT EXISTS (SELECT FROM projection_checkpoints WHERE projection = $1)
           OR EXISTS (SELECT FROM unnest($2::text[]) AS t (name) WHERE to_regclass(t.name) IS NOT NULL)
           AS found`,
      [
        shadowCheckpoint,
        projection.tables.flatMap((table) => [shadow(table), historyTable(shadow(table))]),
      ],
    );
    return found;
  }

  private async rebuildClaimed(loops: Loop[]): Promise<RebuildOutcome[]> {
    const projections = loops.map((loop) => loop.projection);
    for (const projection of projections) await this.createShadow(projection, 'rebuild');
    const failures = new Map<string, Error>();
    const replayed = await this.replay(projections, 'rebuild', 0, undefined, failures);
    return await Promise.all(
      loops.map(async (loop): Promise<RebuildOutcome> => {
        const projection = loop.projection.name;
        const failure = failures.get(projection);
        if (failure) return { projection, error: failure };
        try {
          await this.buildSecondaryIndexes(loop.projection);
          return { projection, position: await this.swapIn(loop, replayed) };
        } catch (error) {
          return { projection, error: asError(error) };
        }
      }),
    );
  }

  /**
   * Holding the live loop still: replays what it committed since `replayed` into the rebuild
   * tables, then swaps them in with the checkpoint in one transaction. Returns the position
   * the swapped-in tables reflect.
   */
  private async swapIn(loop: Loop, replayed: number): Promise<number> {
    const { projection } = loop;
    const { name } = projection;
    const { shadow, shadowCheckpoint } = shadowNames(name, 'rebuild');
    return loop.writes.run(async () => {
      const position = await this.replay([projection], 'rebuild', replayed);
      await this.transaction(async (_context, tx) => {
        // Another rebuild must not have reset the shadow tables since this one replayed them.
        const [shadowRow] = await tx.query(
          'SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE',
          [shadowCheckpoint],
        );
        if (Number(shadowRow?.position) !== position) {
          throw new Error(`The rebuild of ${name} was disturbed; start it again`);
        }
        await tx.query("SET LOCAL lock_timeout = '10s'");
        for (const table of projection.tables) {
          const liveIndexes = await indexesByShape(tx, table);
          const freshIndexes = await indexesByShape(tx, shadow(table));
          const retired = `${table}${RETIRED_SUFFIX}`;
          const versioned = await hasRowHistory(tx, shadow(table));
          await tx.query(`ALTER TABLE ${table} RENAME TO ${retired}`);
          await tx.query(`ALTER TABLE ${shadow(table)} RENAME TO ${table}`);
          if (versioned) {
            await tx.query(`ALTER TABLE ${historyTable(table)} RENAME TO ${historyTable(retired)}`);
            await tx.query(
              `ALTER TABLE ${historyTable(shadow(table))} RENAME TO ${historyTable(table)}`,
            );
          }
          // CASCADE: the views of reads as known at a time (known-at/) read the retired tables;
          // those reads find their views gone and make them again over the new ones.
          if (versioned) await tx.query(`DROP TABLE ${historyTable(retired)} CASCADE`);
          await tx.query(`DROP TABLE ${retired} CASCADE`);
          for (const [shape, freshName] of freshIndexes) {
            const liveName = liveIndexes.get(shape);
            if (liveName && liveName !== freshName)
              await tx.query(`ALTER INDEX ${freshName} RENAME TO ${liveName}`);
          }
        }
        // The rebuilt history goes back to the start of the log, batch by batch.
        await tx.query(
          `UPDATE projection_checkpoints SET position = $2, history_from = 0, updated_at = now()
            WHERE projection = $1`,
          [name, position],
        );
        await tx.query('DELETE FROM projection_checkpoints WHERE projection = $1', [
          shadowCheckpoint,
        ]);
        await tx.query('DELETE FROM projection_batches WHERE projection = $1', [name]);
        await tx.query('UPDATE projection_batches SET projection = $1 WHERE projection = $2', [
          name,
          shadowCheckpoint,
        ]);
      });
      this.options.log?.log(`Projection ${name} rebuilt up to position ${position}`);
      return position;
    });
  }

  /**
   * Replays the whole log into scratch copies of the projection's tables, then compares them
   * by content digest with the live tables at the live checkpoint, while the live loop is
   * held still. The copies are dropped in the end, whatever happens; the live tables and
   * checkpoint are only read. Runs in the process that holds the projection's lock.
   */
  async verify(name: string): Promise<ReadModelVerification> {
    const loop = this.claimable(name, 'verification');
    const { projection } = loop;
    const { shadow } = shadowNames(name, 'verification');
    loop.shadowWork = 'verification';
    const started = Date.now();
    let held = 0;
    try {
      await this.createShadow(projection, 'verification');
      // Never past the live checkpoint: the comparison happens there, and a replay cannot go
      // back. A second pass catches up with what the live loop committed during the first, so
      // the tail replayed below, while the live loop waits, stays short.
      // The first pass also stops where the row history is compared, so the replay's history
      // has a boundary there too.
      const marks = await historyCheckpoints(
        this.dataSource,
        projection,
        await this.checkpoint(name),
      );
      let replayed = 0;
      for (const mark of marks) {
        replayed = await this.replay([projection], 'verification', replayed, mark);
      }
      for (let pass = 0; pass < 2; pass++) {
        replayed = await this.replay(
          [projection],
          'verification',
          replayed,
          await this.checkpoint(name),
        );
      }
      const { position, live } = await loop.writes.run(async () => {
        if (!loop.leader) throw new Error(`Lost the lock on ${name} during its verification`);
        const holding = Date.now();
        const position = await this.checkpoint(name);
        await this.replay([projection], 'verification', replayed, position);
        const [live] = await digestReadModels(this.dataSource, [projection]);
        if ((await this.checkpoint(name)) !== position) {
          throw new Error(`The checkpoint of ${name} moved during its verification; start again`);
        }
        held = Date.now() - holding;
        return { position, live };
      });
      // Only this verification writes the scratch tables: they need not hold up the live loop.
      const [rebuilt] = await digestReadModels(this.dataSource, [projection], shadow);
      const histories = await compareHistories(this.dataSource, projection, shadow, marks);
      const verification = compareReadModels(position, live, rebuilt, histories);
      const outcome =
        `Projection ${name} verified at position ${position} in ${Date.now() - started} ms ` +
        `(live loop held ${held} ms): ${verification.match ? 'match' : 'MISMATCH'}`;
      if (verification.match) this.options.log?.log(outcome);
      else this.options.log?.warn(outcome);
      return verification;
    } finally {
      await this.dropShadow(projection, 'verification').catch((error: Error) =>
        this.options.log?.error(
          `Could not drop the verification tables of ${name}: ${error.message}`,
        ),
      );
      loop.shadowWork = undefined;
    }
  }

  /**
   * Empty copies of the projection's tables and a checkpoint at 0, for `work`. The copies keep
   * only their unique indexes, what a projection's `apply` looks rows up by: maintaining the
   * others row by row through a replay of the whole log costs far more than building them
   * once at its end (`buildSecondaryIndexes`), and a verification never needs them.
   */
  private async createShadow(projection: Projection, work: ShadowWork): Promise<void> {
    const { shadow, shadowCheckpoint } = shadowNames(projection.name, work);
    await this.transaction(async (_context, tx) => {
      for (const table of projection.tables) {
        await tx.query(`DROP TABLE IF EXISTS ${shadow(table)}`);
        await tx.query(`CREATE TABLE ${shadow(table)} (LIKE ${table} INCLUDING ALL)`);
        for (const { name } of await secondaryIndexes(tx, shadow(table))) {
          await tx.query(`DROP INDEX ${name}`);
        }
        if (await hasRowHistory(tx, table)) await createRowHistory(tx, shadow(table));
      }
      await tx.query(
        `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, 0)
         ON CONFLICT (projection) DO UPDATE SET position = 0, updated_at = now()`,
        [shadowCheckpoint],
      );
      await tx.query('DELETE FROM projection_batches WHERE projection = $1', [shadowCheckpoint]);
    });
  }

  /** Builds on the rebuild tables the non-unique indexes of the live tables, one pass each. */
  private async buildSecondaryIndexes(projection: Projection): Promise<void> {
    const { shadow } = shadowNames(projection.name, 'rebuild');
    await this.transaction(async (_context, tx) => {
      for (const table of projection.tables) {
        for (const { definition } of await secondaryIndexes(tx, table)) {
          await tx.query(`CREATE INDEX ON ${shadow(table)} USING ${definition}`);
        }
      }
    });
  }

  private async dropShadow(projection: Projection, work: ShadowWork): Promise<void> {
    const { shadow, shadowCheckpoint } = shadowNames(projection.name, work);
    await this.transaction(async (_context, tx) => {
      for (const table of projection.tables) {
        await tx.query(`DROP TABLE IF EXISTS ${shadow(table)}`);
        await tx.query(`DROP TABLE IF EXISTS ${historyTable(shadow(table))}`);
      }
      await tx.query('DELETE FROM projection_checkpoints WHERE projection = $1', [
        shadowCheckpoint,
      ]);
      await tx.query('DELETE FROM projection_batches WHERE projection = $1', [shadowCheckpoint]);
    });
  }

  /**
   * Applies the log after `from`, up to `until` (inclusive), to the shadow tables named with
   * `work` of every one of `projections`, in large batches: each page is read once (the next
   * one while this one is applied) and each projection commits its part in a transaction of
   * its own, concurrently. Returns the position replayed to. A projection that fails is
   * recorded in `failures` and left behind when that map is given; otherwise the error stops
   * the replay.
   */
  private async replay(
    projections: readonly Projection[],
    work: ShadowWork,
    from: number,
    until = Number.POSITIVE_INFINITY,
    failures?: Map<string, Error>,
  ): Promise<number> {
    const readPage = async (after: number) => {
      const read = await this.store.readAll({ after, maxCount: this.options.rebuildBatchSize });
      const batch = read.filter((event) => event.position <= until);
      return { batch, last: batch.length < this.options.rebuildBatchSize };
    };
    let position = from;
    let reading = readPage(position);
    for (;;) {
      const { batch, last } = await reading;
      if (batch.length === 0) return position;
      if (projections.every((projection) => failures?.has(projection.name))) return position;
      const next = batch[batch.length - 1].position;
      reading = last ? Promise.resolve({ batch: [], last }) : readPage(next);
      // The page read ahead must not end up an unhandled rejection if this one fails first.
      reading.catch(() => undefined);
      await Promise.all(
        projections
          .filter((projection) => !failures?.has(projection.name))
          .map(async (projection) => {
            const { shadow, shadowCheckpoint } = shadowNames(projection.name, work);
            try {
              const outcome = await this.commitBatch(
                projection,
                position,
                batch,
                shadow,
                shadowCheckpoint,
              );
              if (outcome === 'moved') {
                throw new Error(`The ${work} of ${projection.name} was disturbed; start it again`);
              }
            } catch (error) {
              if (!failures) throw error;
              failures.set(projection.name, asError(error));
            }
          }),
      );
      position = next;
      if (last) return position;
    }
  }

  private async checkpoint(name: string): Promise<number> {
    const [row] = await this.dataSource.query(
      'SELECT position FROM projection_checkpoints WHERE projection = $1',
      [name],
    );
    return Number(row?.position ?? 0);
  }

  private transaction<T>(
    work: (context: Omit<ProjectionContext, 'table'>, tx: QueryRunner) => Promise<T>,
  ): Promise<T> {
    return projectionTransaction(this.dataSource, work, (message) =>
      this.options.log?.error(`Projection transaction: ${message}`),
    );
  }
}

const identity = (table: string) => table;

/**
 * Whether a read as known at a time can fall inside the batch: a time resolves to the last
 * event recorded by then, and every event of one append shares its record time.
 */
function spansRecordTimes(batch: RecordedEvent[]): boolean {
  return batch[0].recordedAt.getTime() !== batch[batch.length - 1].recordedAt.getTime();
}

/** The names of a projection's shadow tables and shadow checkpoint for a rebuild or a verification. */
function shadowNames(projection: string, work: ShadowWork) {
  const { suffix } = shadowWork(work);
  return {
    shadow: (table: string) => `${table}${suffix}`,
    shadowCheckpoint: `${projection}${suffix}`,
  };
}

/**
 * A table's indexes keyed by what they index, so the swapped-in copy's indexes (and the
 * constraints they back) can take the live names that migrations refer to.
 */
async function indexesByShape(tx: QueryRunner, table: string): Promise<Map<string, string>> {
  const rows: { name: string; shape: string }[] = await tx.query(
    `SELECT i.relname AS name,
            x.indisunique::text || x.indisprimary::text || regexp_replace(pg_get_indexdef(x.indexrelid), '^.* USING ', '') AS shape
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace`,
    [table],
  );
  return new Map(rows.map((row) => [row.shape, row.name]));
}

/** A table's non-unique indexes: their names, and their definitions from `USING` on. */
async function secondaryIndexes(
  tx: QueryRunner,
  table: string,
): Promise<{ name: string; definition: string }[]> {
  return tx.query(
    `SELECT i.relname AS name, regexp_replace(pg_get_indexdef(x.indexrelid), '^.* USING ', '') AS definition
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace AND NOT x.indisunique
     ORDER BY i.relname`,
    [table],
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

function shadowWork(work: ShadowWork) {
  return work === 'rebuild'
    ? { suffix: '__rebuild', verb: 'rebuild', participle: 'rebuilt', Refusal: RebuildRefused }
    : { suffix: '__verify', verb: 'verify', participle: 'verified', Refusal: VerificationRefused };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
