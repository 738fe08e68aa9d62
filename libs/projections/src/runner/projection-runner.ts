import { setMaxListeners } from 'node:events';
import type { EventStore } from '#event-store';
import type { DataSource } from 'typeorm';
import { eventsAfter } from '../queries/log-lag.js';
import { BatchAnnouncer } from './batch-announcer.js';
import { CheckpointMoves } from './checkpoint-moves.js';
import { type Loop, newLoop, type ProjectionState, runLoop } from './live-loop.js';
import type { ShadowWork } from './projection-ddl.js';
import { type ProjectionObserver, ProjectionObservers } from './projection-observer.js';
import {
  clearInterrupted,
  type RebuildOutcome,
  RebuildRefused,
  type RebuildRecord,
  rebuildClaimed,
  rebuildRecords,
} from './projection-rebuild.js';
import { verifyClaimed } from './projection-verification.js';
import type { Projection } from './projection.js';
import { type ReadModelVerification, VerificationRefused } from './read-model-verification.js';
import { type RunnerContext, type RunnerLog, sleep } from './runner-context.js';

export type { ProjectionState } from './live-loop.js';
export { PROJECTION_BATCH_CHANNEL } from './batch-announcer.js';
export type {
  BatchCommitted,
  ProjectionObserver,
  RebuildFinished,
  RebuildStarted,
} from './projection-observer.js';
export { type RebuildOutcome, type RebuildRecord, RebuildRefused } from './projection-rebuild.js';

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
  log?: RunnerLog;
  /** Hears of committed batches and of rebuilds (more can be added with `observe`). */
  observer?: ProjectionObserver;
};

export class UnknownProjection extends Error {
  constructor(name: string, known: string[]) {
    super(`No projection named '${name}'; known: ${known.join(', ')}`);
    this.name = 'UnknownProjection';
  }
}

/**
 * Runs each projection from its checkpoint over the global log. Each batch's read-model
 * writes and its new checkpoint commit in one transaction, so a crash at any point loses
 * nothing and counts nothing twice. Across processes, an advisory lock lets one runner
 * per projection be active; the others stand by.
 *
 * This class coordinates; the parts are beside it: leader election (`projection-election`),
 * the live loop (`live-loop`, `projection-batch`), rebuilds (`projection-rebuild`),
 * verifications (`projection-verification`), both replaying through `shadow-replay` into the
 * shadow tables of `projection-ddl`.
 */
export class ProjectionRunner {
  private readonly loops = new Map<string, Loop>();
  private abort = new AbortController();
  private readonly context: RunnerContext;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    projections: Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    const log = options.log;
    const observers = new ProjectionObservers((message) => log?.warn(message));
    if (options.observer) observers.add(options.observer);
    this.context = {
      store,
      dataSource,
      observers,
      announcer: new BatchAnnouncer(dataSource, log),
      moves: new CheckpointMoves(dataSource),
      settings: {
        batchSize: options.batchSize ?? 500,
        rebuildBatchSize: options.rebuildBatchSize ?? 5000,
        retryDelayMs: options.retryDelayMs ?? 500,
        standbyPollMs: options.standbyPollMs ?? 2000,
        log,
      },
    };
    for (const projection of projections) {
      if (this.loops.has(projection.name))
        throw new Error(`Two projections are named ${projection.name}`);
      this.loops.set(projection.name, newLoop(projection));
    }
  }

  get projections(): string[] {
    return [...this.loops.keys()];
  }

  /** Adds an observer of committed batches and rebuilds; the function returned removes it. */
  observe(observer: ProjectionObserver): () => void {
    return this.context.observers.add(observer);
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
      loop.done = runLoop(this.context, loop, this.abort.signal, () =>
        clearInterrupted(this.context, loop.projection),
      );
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.loops.values()].map((loop) => loop.done));
    await this.context.announcer.close();
  }

  /** The state each projection is in in this process, without reading the database. */
  states(): Pick<ProjectionStatus, 'projection' | 'state'>[] {
    return [...this.loops.values()].map(({ projection, state, shadowWork }) => ({
      projection: projection.name,
      state: shadowWork === 'rebuild' ? 'rebuilding' : state,
    }));
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    const rows: { projection: string; position: string }[] = await this.dataSource.query(
      'SELECT projection, position FROM projection_checkpoints WHERE projection = ANY($1)',
      [this.projections],
    );
    const checkpoints = new Map(rows.map((row) => [row.projection, Number(row.position)]));
    const states = this.states();
    const lags = new Map<number, Promise<number>>();
    const lagAfter = (checkpoint: number) => {
      if (!lags.has(checkpoint)) {
        lags.set(checkpoint, eventsAfter(this.dataSource, this.store, checkpoint, head));
      }
      return lags.get(checkpoint)!;
    };
    return Promise.all(
      [...this.loops.values()].map(async ({ projection, lastError }, index) => {
        const checkpoint = checkpoints.get(projection.name) ?? 0;
        return {
          ...states[index],
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

  /** Refuses at once, typed, when this process may not rebuild the projection now. */
  assertRebuildable(name: string): void {
    this.claimable(name, 'rebuild');
  }

  /** Refuses at once, typed, when this process may not verify the projection now. */
  assertVerifiable(name: string): void {
    this.claimable(name, 'verification');
  }

  /** Rebuilds one projection; see `rebuildAll`. */
  async rebuild(name: string): Promise<{ position: number }> {
    const [outcome] = await this.rebuildAll([name]);
    if ('error' in outcome) throw outcome.error;
    return { position: outcome.position };
  }

  /**
   * Blue/green rebuild of several projections with one read of the log (see `rebuildClaimed`).
   * Refuses at once, before starting any, if one of them cannot be rebuilt by this process
   * now (see `claimable`).
   */
  async rebuildAll(names: readonly string[]): Promise<RebuildOutcome[]> {
    const loops = [...new Set(names)].map((name) => this.claimable(name, 'rebuild'));
    for (const loop of loops) loop.shadowWork = 'rebuild';
    try {
      return await rebuildClaimed(this.context, loops);
    } finally {
      for (const loop of loops) loop.shadowWork = undefined;
    }
  }

  /** The latest recorded rebuild of each of its projections, by projection name. */
  async rebuildRecords(): Promise<RebuildRecord[]> {
    return rebuildRecords(this.dataSource, this.projections);
  }

  /**
   * Replays the whole log into scratch copies of the projection's tables and compares them
   * with the live ones at the live checkpoint (see `verifyClaimed`). Runs in the process that
   * holds the projection's lock.
   */
  async verify(name: string): Promise<ReadModelVerification> {
    const loop = this.claimable(name, 'verification');
    loop.shadowWork = 'verification';
    try {
      return await verifyClaimed(this.context, loop);
    } finally {
      loop.shadowWork = undefined;
    }
  }

  /**
   * The projection's loop, if this process may run `work` on it now. Only the lock holder may:
   * a rebuild swaps tables and a verification holds the live loop still, which another
   * process's live loop would race. One shadow work at a time.
   */
  private claimable(name: string, work: ShadowWork): Loop {
    const loop = this.loops.get(name);
    if (!loop) throw new UnknownProjection(name, [...this.loops.keys()]);
    const { verb, participle, Refusal } = WORDING[work];
    if (!loop.leader) {
      throw new Refusal(
        `Projection ${name} is not run by this process (it is ${loop.state}); ${verb} it where it runs`,
      );
    }
    if (loop.shadowWork === work) {
      throw new Refusal(`Projection ${name} is already being ${participle}`);
    }
    if (loop.shadowWork) {
      throw new Refusal(
        `Projection ${name} is being ${WORDING[loop.shadowWork].participle}; ${verb} it when the ${loop.shadowWork} has ended`,
      );
    }
    return loop;
  }
}

const WORDING = {
  rebuild: { verb: 'rebuild', participle: 'rebuilt', Refusal: RebuildRefused },
  verification: { verb: 'verify', participle: 'verified', Refusal: VerificationRefused },
} as const;
