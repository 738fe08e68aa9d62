import type { DataSource } from 'typeorm';
import type { Loop } from './live-loop.js';
import {
  buildSecondaryIndexes,
  createShadow,
  dropShadow,
  hasShadow,
  shadowNames,
  swapTables,
} from './projection-ddl.js';
import type { Projection } from './projection.js';
import { asError, type RunnerContext, runTransaction } from './runner-context.js';
import { replay, type ReplayTally } from './shadow-replay.js';

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

/**
 * Blue/green rebuild of the projections of `loops`, which the caller has claimed for it, with
 * one read of the log: each page is read once and applied to every projection's fresh tables
 * while the live ones keep answering queries; then each projection catches up with its live
 * loop and swaps its tables in, with its checkpoint, in one transaction. A projection whose
 * replay or swap fails drops out, its outcome holding the error, without stopping the others.
 * Each rebuild is recorded in `projection_rebuilds`, and told to the runner's observers.
 */
export async function rebuildClaimed(
  runner: RunnerContext,
  loops: readonly Loop[],
): Promise<RebuildOutcome[]> {
  const startedAt = new Date();
  const started = performance.now();
  const tally = new Map<string, ReplayTally>();
  await runner.dataSource.query(
    `INSERT INTO projection_rebuilds (projection, started_at, state)
     SELECT unnest($1::text[]), $2, 'running'`,
    [loops.map((loop) => loop.projection.name), startedAt],
  );
  for (const { projection } of loops) {
    runner.observers.notify('rebuildStarted', { projection: projection.name });
  }
  const finish = async (outcome: RebuildOutcome) => {
    await recordRebuild(runner.dataSource, outcome, startedAt);
    const { events, transactionMs } = tally.get(outcome.projection) ?? {
      events: 0,
      transactionMs: 0,
    };
    runner.observers.notify('rebuildFinished', {
      projection: outcome.projection,
      events,
      transactionMs,
      durationMs: performance.now() - started,
      ...('error' in outcome
        ? { outcome: 'failed' as const, error: outcome.error.message }
        : { outcome: 'done' as const, position: outcome.position }),
    });
  };
  const outcomes = await replayAndSwap(runner, loops, tally).catch(async (error: Error) => {
    for (const { projection } of loops) await finish({ projection: projection.name, error });
    throw error;
  });
  for (const outcome of outcomes) await finish(outcome);
  return outcomes;
}

async function replayAndSwap(
  runner: RunnerContext,
  loops: readonly Loop[],
  tally: Map<string, ReplayTally>,
): Promise<RebuildOutcome[]> {
  const projections = loops.map((loop) => loop.projection);
  for (const projection of projections) await createShadow(runner, projection, 'rebuild');
  const failures = new Map<string, Error>();
  const replayed = await replay(runner, {
    projections,
    work: 'rebuild',
    from: 0,
    failures,
    tally,
  });
  return await Promise.all(
    loops.map(async (loop): Promise<RebuildOutcome> => {
      const projection = loop.projection.name;
      const failure = failures.get(projection);
      if (failure) return { projection, error: failure };
      try {
        await buildSecondaryIndexes(runner, loop.projection);
        return { projection, position: await swapIn(runner, loop, replayed, tally) };
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
async function swapIn(
  runner: RunnerContext,
  loop: Loop,
  replayed: number,
  tally: Map<string, ReplayTally>,
): Promise<number> {
  const { projection } = loop;
  const { name } = projection;
  const { shadowCheckpoint } = shadowNames(name, 'rebuild');
  return loop.writes.run(async () => {
    const position = await replay(runner, {
      projections: [projection],
      work: 'rebuild',
      from: replayed,
      tally,
    });
    await runTransaction(runner, async (_context, tx) => {
      // Another rebuild must not have reset the shadow tables since this one replayed them.
      const [shadowRow] = await tx.query(
        'SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE',
        [shadowCheckpoint],
      );
      if (Number(shadowRow?.position) !== position) {
        throw new Error(`The rebuild of ${name} was disturbed; start it again`);
      }
      await tx.query("SET LOCAL lock_timeout = '10s'");
      await swapTables(tx, projection);
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
    runner.settings.log?.log(`Projection ${name} rebuilt up to position ${position}`);
    return position;
  });
}

/** The latest recorded rebuild of each of `projections`. */
export async function rebuildRecords(
  dataSource: DataSource,
  projections: readonly string[],
): Promise<RebuildRecord[]> {
  const rows: {
    projection: string;
    state: RebuildRecord['state'];
    started_at: Date;
    finished_at: Date | null;
    position: string | null;
    error: string | null;
  }[] = await dataSource.query(
    `SELECT DISTINCT ON (projection) projection, state, started_at, finished_at, position, error
       FROM projection_rebuilds WHERE projection = ANY($1)
      ORDER BY projection, started_at DESC`,
    [projections],
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

async function recordRebuild(
  dataSource: DataSource,
  outcome: RebuildOutcome,
  startedAt: Date,
): Promise<void> {
  await dataSource.query(
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
export async function clearInterrupted(
  runner: RunnerContext,
  projection: Projection,
): Promise<void> {
  // A CTE, so that the driver answers the rows themselves: TypeORM answers a bare UPDATE …
  // RETURNING with [rows, count], whose length is 2 whether anything was interrupted or not.
  const interrupted: unknown[] = await runner.dataSource.query(
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
    if (await hasShadow(runner.dataSource, projection, work)) {
      await dropShadow(runner, projection, work);
    }
  }
  if (interrupted.length > 0) {
    runner.settings.log?.warn(
      `An interrupted rebuild of ${projection.name} is recorded as failed; its tables are dropped`,
    );
  }
}
