import type pg from 'pg';
import { Mutex } from './mutex.js';
import { commitBatch, identity } from './projection-batch.js';
import type { ShadowWork } from './projection-ddl.js';
import { releaseLock, takeLock } from './projection-election.js';
import type { Projection } from './projection.js';
import { type RunnerContext, readCheckpoint, sleep } from './runner-context.js';

export type ProjectionState =
  'starting' | 'running' | 'standby' | 'retrying' | 'rebuilding' | 'stopped';

/** One projection's place in a runner: its live loop and what else runs on it. */
export type Loop = {
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

export function newLoop(projection: Projection): Loop {
  return { projection, state: 'stopped', writes: new Mutex(), leader: false };
}

/**
 * Runs one projection until `signal` aborts: takes its lock (or stands by while another
 * process holds it), then follows the log from its checkpoint, a batch a transaction. A
 * failed batch is retried after a wait that doubles up to 30 s. `onElected` runs each time
 * this process becomes the projection's leader, before its first batch.
 */
export async function runLoop(
  runner: RunnerContext,
  loop: Loop,
  signal: AbortSignal,
  onElected: () => Promise<void>,
): Promise<void> {
  const { projection } = loop;
  const { settings } = runner;
  let lockSession: pg.Client | undefined;
  let failures = 0;
  while (!signal.aborted) {
    try {
      if (!lockSession) {
        lockSession = await takeLock(runner.dataSource, projection.name, () => {
          loop.leader = false;
        });
        if (!lockSession) {
          loop.state = 'standby';
          await sleep(settings.standbyPollMs, signal);
          continue;
        }
      }
      if (!loop.leader && !loop.shadowWork) await onElected();
      loop.leader = true;
      loop.state = 'running';
      await follow(runner, loop, signal, () => {
        failures = 0;
        delete loop.lastError;
      });
    } catch (error) {
      if (signal.aborted) break;
      failures++;
      loop.state = 'retrying';
      loop.lastError = error instanceof Error ? error.message : String(error);
      settings.log?.warn(
        `Projection ${projection.name} failed (attempt ${failures}): ${loop.lastError}`,
      );
      if (lockSession && !loop.leader) {
        await lockSession.end().catch(() => undefined);
        lockSession = undefined;
      }
      await sleep(Math.min(settings.retryDelayMs * 2 ** (failures - 1), 30_000), signal);
    }
  }
  if (lockSession) await releaseLock(lockSession, projection.name);
  loop.leader = false;
  loop.state = 'stopped';
}

async function follow(
  runner: RunnerContext,
  loop: Loop,
  signal: AbortSignal,
  onCommitted: () => void,
): Promise<void> {
  const name = loop.projection.name;
  let checkpoint = await readCheckpoint(runner.dataSource, name);
  // Where the loop starts: a checkpoint a rebuild's swap moved is announced here (batches
  // notify with their commits).
  runner.announcer.announce(name, checkpoint);
  for await (const batch of runner.store.subscribeToAll({
    after: checkpoint,
    batchSize: runner.settings.batchSize,
    signal,
  })) {
    let durationMs = 0;
    const outcome = await loop.writes.run(async () => {
      if (!loop.leader) throw new Error(`Lost the lock on ${name}; taking it again`);
      const started = performance.now();
      // The commit notifies the batch channel itself.
      const outcome = await commitBatch(
        runner,
        loop.projection,
        checkpoint,
        batch,
        identity,
        name,
        { announce: true },
      );
      durationMs = performance.now() - started;
      return outcome;
    });
    if (outcome === 'moved') return; // someone else (a rebuild) moved the checkpoint: resubscribe
    checkpoint = outcome;
    onCommitted();
    runner.observers.notify('batchCommitted', {
      projection: name,
      events: batch.length,
      durationMs,
    });
  }
}
