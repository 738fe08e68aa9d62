import { ADVISORY_LOCKS } from '#database';
import type { EventStore } from '#event-store';
import type { DataSource } from 'typeorm';
import type { Projection } from '../runner/projection.js';
import { projectionTransaction } from '../runner/projection-transaction.js';
import {
  KnownAtBeyondRetention,
  dropSnapshot,
  type Pruned,
  pruneRowHistory,
  retentionHorizon,
} from './known-at-retention.js';
import {
  fillKnownAtSchema,
  type KnownAtFill,
  KnownAtBeforeHistory,
  knownAtSchema,
} from './known-at-schema.js';

export { KnownAtBeforeHistory, knownAtSchema } from './known-at-schema.js';
export { KnownAtBeyondRetention } from './known-at-retention.js';

/**
 * How a snapshot was made: `views` when every projection was read through views; `replay`
 * when one was inside a batch (its changed rows replayed into an overlay); `copy` when an
 * overlay fell short and a projection's tables were copied whole.
 */
export const KNOWN_AT_BUILD_KINDS = ['views', 'replay', 'copy'] as const;

/** A snapshot this process made: where, how long it took, and whether it replayed a batch. */
export type KnownAtBuild = {
  position: number;
  ms: number;
  kind: (typeof KNOWN_AT_BUILD_KINDS)[number];
};

export type KnownAtSnapshotsOptions = {
  /**
   * The version of the projections' code and tables (e.g. the service version): a snapshot
   * built by another version is built again, since its figures or columns may differ.
   */
  version?: string;
  /** Snapshots kept; the least recently read beyond this are dropped. */
  keep?: number;
  /** How long a read waits for a snapshot being made before answering 503. */
  waitMs?: number;
  /**
   * Days of row history kept for reads as known at a time (`KNOWN_AT_HISTORY_DAYS`); unset
   * keeps everything. When set, history older than that is pruned at start and every
   * `pruneIntervalMs`, and reads before the horizon answer `KnownAtBeyondRetention`.
   */
  retentionDays?: number;
  pruneIntervalMs?: number;
  /** Hears of pruning failures (the next interval tries again). */
  log?: (message: string) => void;
};

/** The read models as known at a position are still being built; the read may be retried. */
export class KnownAtSnapshotBuilding extends Error {
  constructor(
    readonly position: number,
    readonly reached: number,
  ) {
    super(
      `The read models as known at position ${position} are being built (at ${reached} of ` +
        `${position}); retry in a few seconds`,
    );
    this.name = 'KnownAtSnapshotBuilding';
  }
}

const LOCK_NAMESPACE = ADVISORY_LOCKS.knownAtSnapshots;
const POLL_MS = 100;

/**
 * Read models as they stood when the log ended at a position, in a schema of their own
 * (`known_at_<P>`, see `fillKnownAtSchema`) with the same table names, so any query reads it
 * unchanged under `search_path`. Made on first use from the live tables and their row history,
 * without replaying the log; kept for later reads, and shared by every process through the
 * `known_at_snapshots` catalog; an advisory lock lets one process make each.
 */
export class KnownAtSnapshots {
  private readonly codeVersion: string;
  private version = '';
  private readonly keep: number;
  private readonly waitMs: number;
  private readonly builds = new Map<number, Promise<void>>();
  private live?: string;
  private readonly buildListeners: ((build: KnownAtBuild) => void)[] = [];
  private pruneTimer?: NodeJS.Timeout;
  private pruning?: Promise<Pruned | undefined>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    private readonly options: KnownAtSnapshotsOptions = {},
  ) {
    this.codeVersion = options.version ?? 'unversioned';
    this.keep = options.keep ?? 8;
    this.waitMs = options.waitMs ?? 20_000;
  }

  /** Calls `listener` after each snapshot this process makes (the metrics count them). */
  onBuild(listener: (build: KnownAtBuild) => void): void {
    this.buildListeners.push(listener);
  }

  /** Starts the retention's pruning, when one is configured (Nest calls it at start). */
  onApplicationBootstrap(): void {
    const days = this.options.retentionDays;
    if (days === undefined) return;
    const run = () => {
      this.pruning ??= this.prune()
        .catch((error: Error) => {
          this.options.log?.(`Pruning the read models' history failed: ${error.message}`);
          return undefined;
        })
        .finally(() => (this.pruning = undefined));
    };
    run();
    this.pruneTimer = setInterval(run, this.options.pruneIntervalMs ?? 3_600_000).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.pruning;
  }

  /**
   * Prunes the row history older than the retention (`retentionDays` before `now`): see
   * `pruneRowHistory`. Nothing without a retention.
   */
  async prune(now = new Date()): Promise<Pruned | undefined> {
    const days = this.options.retentionDays;
    if (days === undefined) return undefined;
    return pruneRowHistory(
      this.dataSource,
      this.store,
      this.projections,
      new Date(now.getTime() - days * 86_400_000),
    );
  }

  /**
   * The `search_path` that reads the read models at `position`, once they are ready; makes
   * them if needed, and waits for them up to `waitMs`. The path names the snapshot's schema
   * alone: were it dropped before the read, the read fails instead of finding today's tables.
   */
  async open(position: number): Promise<string> {
    this.version ||= await this.shapeVersion();
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if (await this.ready(position)) {
        await this.dataSource.query(
          'UPDATE known_at_snapshots SET last_used_at = now() WHERE position = $1',
          [position],
        );
        return knownAtSchema(position);
      }
      const reached = await this.reached();
      // The history answers for positions the projections have committed; the rest is coming.
      const build = reached >= position ? this.startBuild(position) : sleep(POLL_MS);
      const left = deadline - Date.now();
      if (left <= 0) throw new KnownAtSnapshotBuilding(position, Math.min(reached, position));
      await Promise.race([build, sleep(Math.min(POLL_MS * 10, left))]);
    }
  }

  /** Ready in the catalog, of this version, and whole: a rebuild's swap drops its views. */
  private async ready(position: number): Promise<boolean> {
    const row = await this.catalogRow(position);
    if (row?.state !== 'ready' || row.version !== this.version) return false;
    const names = [...this.tables(), 'projection_checkpoints'];
    const [{ relations }] = await this.dataSource.query(
      `SELECT count(*)::int AS relations FROM pg_class
        WHERE relnamespace = to_regnamespace($1) AND relkind IN ('r', 'v') AND relname = ANY($2)`,
      [knownAtSchema(position), names],
    );
    return relations === names.length;
  }

  /** The lowest checkpoint of the projections: every one has committed up to it. */
  private async reached(): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT coalesce(min(c.position), 0) AS position, count(c.position)::int AS found
         FROM unnest($1::text[]) AS p (projection)
         LEFT JOIN projection_checkpoints c USING (projection)`,
      [this.projections.map((projection) => projection.name)],
    );
    return row.found < this.projections.length ? 0 : Number(row.position);
  }

  /** This process's build of the snapshot: started now, or the one already running. */
  private startBuild(position: number): Promise<void> {
    let build = this.builds.get(position);
    if (!build) {
      build = this.build(position).finally(() => this.builds.delete(position));
      build.catch(() => undefined); // a failed build is reported to the reads waiting on it
      this.builds.set(position, build);
    }
    return build;
  }

  private async catalogRow(
    position: number,
  ): Promise<{ state: string; reached: string; version: string } | undefined> {
    const [row] = await this.dataSource.query(
      'SELECT state, reached, version FROM known_at_snapshots WHERE position = $1',
      [position],
    );
    return row;
  }

  private async build(position: number): Promise<void> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    let locked: boolean;
    try {
      [{ locked }] = await lock.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [
        LOCK_NAMESPACE,
        position,
      ]);
      if (locked) {
        try {
          if (!(await this.ready(position))) await this.buildLocked(position);
        } finally {
          await lock.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, position]);
        }
      }
    } finally {
      await lock.release();
    }
    if (locked) await this.evict();
    // Another process builds it: the reads poll the catalog, this often.
    else await sleep(POLL_MS);
  }

  private async buildLocked(position: number): Promise<void> {
    const started = Date.now();
    const schema = knownAtSchema(position);
    const live = await this.liveSchema();
    await this.assertHistoryReaches(position);
    let fill: KnownAtFill = { overlaid: 0, copied: 0 };
    await projectionTransaction(this.dataSource, async (_context, tx) => {
      // Held until the snapshot commits: a pruning waits, and one that committed first is seen.
      const horizon = await retentionHorizon(tx, true);
      if (horizon && position < horizon.position) {
        throw new KnownAtBeyondRetention(position, horizon.position, horizon.time);
      }
      await tx.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await tx.query(`CREATE SCHEMA ${schema}`);
      fill = await fillKnownAtSchema(tx, this.store, this.projections, position, live);
      await tx.query(
        `INSERT INTO known_at_snapshots
           (position, state, version, reached, built_at, build_ms, last_used_at)
         VALUES ($1, 'ready', $2, $1, now(), $3, now())
         ON CONFLICT (position) DO UPDATE
           SET state = 'ready', version = $2, reached = $1, based_on = NULL,
               started_at = now(), built_at = now(), build_ms = $3, last_used_at = now()`,
        [position, this.version, Date.now() - started],
      );
    });
    const build: KnownAtBuild = {
      position,
      ms: Date.now() - started,
      kind: fill.copied > 0 ? 'copy' : fill.overlaid > 0 ? 'replay' : 'views',
    };
    // The snapshot has committed: a failing listener must not fail the read that waits on it.
    for (const listener of this.buildListeners) {
      try {
        listener(build);
      } catch (error) {
        this.options.log?.(
          `A known-at build listener failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private async assertHistoryReaches(position: number): Promise<void> {
    const rows: { projection: string; history_from: string }[] = await this.dataSource.query(
      `SELECT projection, history_from FROM projection_checkpoints
        WHERE projection = ANY($1) AND history_from > $2`,
      [this.projections.map((projection) => projection.name), position],
    );
    if (rows.length > 0) {
      throw new KnownAtBeforeHistory(
        position,
        Math.max(...rows.map((row) => Number(row.history_from))),
        rows.map((row) => row.projection),
      );
    }
  }

  private async evict(): Promise<void> {
    const stale: { position: string }[] = await this.dataSource.query(
      `SELECT position FROM known_at_snapshots
        WHERE state = 'ready' AND version <> $2
        UNION
       (SELECT position FROM known_at_snapshots WHERE state = 'ready' AND version = $2
        ORDER BY last_used_at DESC OFFSET $1)`,
      [this.keep, this.version],
    );
    for (const { position } of stale) {
      await projectionTransaction(this.dataSource, (_context, tx) =>
        dropSnapshot(tx, Number(position)),
      );
    }
  }

  /** The code version and the live tables' columns: either changing makes snapshots stale. */
  private async shapeVersion(): Promise<string> {
    const [{ shape }] = await this.dataSource.query(
      `SELECT md5(coalesce(string_agg(table_name || '.' || column_name || ':' || data_type, ','
                   ORDER BY table_name, ordinal_position), '')) AS shape
         FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = ANY($1)`,
      [this.tables()],
    );
    return `${this.codeVersion}:${shape}`;
  }

  private tables(): string[] {
    return this.projections.flatMap((projection) => projection.tables);
  }

  /** The schema the live read models are in (the connection's default). */
  private async liveSchema(): Promise<string> {
    this.live ??= (await this.dataSource.query('SELECT current_schema() AS schema'))[0]
      .schema as string;
    return this.live;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
