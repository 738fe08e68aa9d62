import type { EventStore } from '#event-store';
import type { DataSource, QueryRunner } from 'typeorm';
import type { BatchAnnouncer } from './batch-announcer.js';
import type { CheckpointMoves } from './checkpoint-moves.js';
import type { ProjectionObservers } from './projection-observer.js';
import { projectionTransaction } from './projection-transaction.js';
import type { ProjectionContext } from './projection.js';

export type RunnerLog = {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
};

/** The runner's options with their defaults filled in. */
export type RunnerSettings = {
  batchSize: number;
  rebuildBatchSize: number;
  retryDelayMs: number;
  standbyPollMs: number;
  log?: RunnerLog;
};

/** What the parts of a `ProjectionRunner` (live loop, rebuild, verification) share. */
export type RunnerContext = {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly settings: RunnerSettings;
  readonly observers: ProjectionObservers;
  /** Tells the batch channel of the live loops' commits. */
  readonly announcer: BatchAnnouncer;
  /** Moves the checkpoints of ignored batches, those of one moment in one statement. */
  readonly moves: CheckpointMoves;
};

export function runTransaction<T>(
  runner: RunnerContext,
  work: (context: Omit<ProjectionContext, 'table'>, tx: QueryRunner) => Promise<T>,
): Promise<T> {
  return projectionTransaction(runner.dataSource, work, (message) =>
    runner.settings.log?.error(`Projection transaction: ${message}`),
  );
}

/** The stored checkpoint of a projection (or of a shadow one), 0 when there is none. */
export async function readCheckpoint(dataSource: DataSource, name: string): Promise<number> {
  const [row] = await dataSource.query(
    'SELECT position FROM projection_checkpoints WHERE projection = $1',
    [name],
  );
  return Number(row?.position ?? 0);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
