import { ADVISORY_LOCKS } from '#database';
import type { EventStore } from '#event-store';
import type { DataSource, QueryRunner } from 'typeorm';
import type { Projection } from '../runner/projection.js';
import { projectionTransaction } from '../runner/projection-transaction.js';
import {
  KnownAtBeyondRetention,
  dropSnapshot,
  type Pruned,
  pruneRowHistory,
  retentionHorizon,
} from './known-at-retention.js';
import type { RecordedEvent } from '#event-store';
import {
  type Batch,
  batchEvents,
  checkOverlay,
  fillPart,
  KnownAtBeforeHistory,
  materializePart,
  PART_GENERATIONS,
  type PartKind,
  partSchema,
} from './known-at-schema.js';

export { KnownAtBeforeHistory, partSchema } from './known-at-schema.js';
export { KnownAtBeyondRetention } from './known-at-retention.js';

/**
 * What this process made, per part (one projection at one position): `views` when its tables
 * were read through views (a batch boundary); `replay` when it was inside a batch (the rows the
 * batch changed replayed into an overlay); `copy` when its tables were copied whole and the
 * batch replayed into them (the check of an overlay failed); `tables` when a part was copied
 * into real, indexed tables after it was first read.
 */
export const KNOWN_AT_BUILD_KINDS = ['views', 'replay', 'copy', 'tables'] as const;

/** A part this process made: where, of what, how long it took, and how. */
export type KnownAtBuild = {
  position: number;
  projection: string;
  ms: number;
  kind: (typeof KNOWN_AT_BUILD_KINDS)[number];
  /** A `copy` that replaced an overlay whose check found rows differing from the batch's. */
  repaired?: boolean;
  /** Copied into indexed tables while it was made (`copyAtOnceRows`), before its first read. */
  inTables?: boolean;
};

export type KnownAtSnapshotsOptions = {
  /**
   * The version of the projections' code and tables (e.g. the service version): a snapshot
   * built by another version is built again, since its figures or columns may differ.
   */
  version?: string;
  /** Snapshots (positions) kept; the least recently read beyond this are dropped. */
  keep?: number;
  /** How long a read waits for a snapshot being made before answering 503. */
  waitMs?: number;
  /**
   * Whether a part, once read, is copied in the background into real tables with the live
   * tables' indexes, so later reads cost what live reads cost (default true). Off, later reads
   * keep reading the views over the live tables and their history.
   */
  materialize?: boolean;
  /**
   * A part whose live tables hold at most this many rows (PostgreSQL's estimate) is copied into
   * tables while it is made, before the first read answers (default 50,000): copying it costs
   * less than one read through its views, whose every row is checked against the history.
   * Larger parts are read through views first and copied in the background.
   */
  copyAtOnceRows?: number;
  /**
   * Days of row history kept for reads as known at a time (`KNOWN_AT_HISTORY_DAYS`); unset
   * keeps everything. When set, history older than that is pruned at start and every
   * `pruneIntervalMs`, and reads before the horizon answer `KnownAtBeyondRetention`.
   */
  retentionDays?: number;
  pruneIntervalMs?: number;
  /** Hears of pruning and background failures, and of overlays repaired. */
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

/** A part found whole in the catalog. */
type Part = {
  projection: string;
  schema: string;
  kind: PartKind;
  checked: boolean;
  materialized: boolean;
};

const LOCK_NAMESPACE = ADVISORY_LOCKS.knownAtSnapshots;
const POLL_MS = 100;

/** Rolls the check's transaction back, carrying its answer out. */
class CheckAnswer extends Error {
  constructor(readonly differing: number) {
    super('check done');
  }
}

/**
 * Read models as they stood when the log ended at a position, made on first use from the live
 * tables and their row history, without replaying the log, and kept for later reads.
 *
 * A snapshot (one position, `known_at_snapshots`) is made of parts, one per projection
 * (`known_at_parts`), each in a schema of its own (`partSchema`) holding the projection's tables
 * under their own names and a `projection_checkpoints` at P. A read makes only the parts of the
 * projections it names, and its `search_path` names their schemas alone: a query that reads a
 * table of a projection it did not name fails (42P01) rather than read today's tables. Parts
 * are shared by every process through the catalog; an advisory lock per part lets one process
 * make each. After a part is first read, it is checked (an overlay) and copied into real tables
 * in the background (`refine`), and the catalog then points reads at those.
 */
export class KnownAtSnapshots {
  private readonly codeVersion: string;
  private version = '';
  private readonly keep: number;
  private readonly waitMs: number;
  private readonly builds = new Map<string, Promise<void>>();
  private live?: string;
  private readonly buildListeners: ((build: KnownAtBuild) => void)[] = [];
  private pruneTimer?: NodeJS.Timeout;
  private pruning?: Promise<Pruned | undefined>;
  /** Background work (checks, copies into tables), one at a time, in order. */
  private background: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();
  private closing = false;
  /** The last batch read for a part: a rebuild page holds P for every projection at once. */
  private lastBatch?: { after: number; last: number; events: Promise<RecordedEvent[]> };

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

  /** Calls `listener` after each part this process makes (the metrics count them). */
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
    this.closing = true;
    clearInterval(this.pruneTimer);
    await this.pruning;
    await this.settled();
  }

  /** Resolves when the background work queued so far (checks, copies into tables) is done. */
  async settled(): Promise<void> {
    for (;;) {
      const current = this.background;
      await current;
      if (current === this.background) return;
    }
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
   * The `search_path` that reads the read models of the projections `names` (all of them when
   * unset) at `position`, once their parts are ready; makes the parts missing, and waits for
   * them up to `waitMs`. The path names the parts' schemas alone: were one dropped before the
   * read, or the read to use a projection it did not name, the read fails instead of finding
   * today's tables.
   */
  async open(position: number, names?: readonly string[]): Promise<string> {
    this.version ||= await this.shapeVersion();
    const wanted = this.partsFor(names);
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const parts = await this.readyParts(position, wanted);
      if (parts.size === wanted.length) {
        await this.dataSource.query(
          `UPDATE known_at_snapshots SET last_used_at = now(), version = $2
            WHERE position = $1 AND (last_used_at < now() - interval '1 second' OR version <> $2)`,
          [position, this.version],
        );
        for (const part of parts.values()) this.refineLater(position, part);
        return wanted.map((projection) => parts.get(projection.name)!.schema).join(', ');
      }
      const reached = await this.reached(wanted);
      // The history answers for positions the projections have committed; the rest is coming.
      const build =
        reached >= position
          ? this.startBuilds(
              position,
              wanted.filter((projection) => !parts.has(projection.name)),
            )
          : sleep(POLL_MS);
      const left = deadline - Date.now();
      if (left <= 0) throw new KnownAtSnapshotBuilding(position, Math.min(reached, position));
      await Promise.race([build, sleep(Math.min(POLL_MS * 10, left))]);
    }
  }

  /** Whether every schema a search path names still exists (none was dropped since `open`). */
  async intact(searchPath: string): Promise<boolean> {
    const schemas = searchPath.split(',').map((schema) => schema.trim());
    const [{ missing }] = await this.dataSource.query(
      'SELECT count(*)::int AS missing FROM unnest($1::text[]) AS s WHERE to_regnamespace(s) IS NULL',
      [schemas],
    );
    return missing === 0;
  }

  /** Where `open` with no names reads: every projection that owns a table. */
  private partsFor(names?: readonly string[]): Projection[] {
    const named = names && this.projections.filter((projection) => names.includes(projection.name));
    if (named && named.length > 0) return named;
    return this.projections.filter((projection) => projection.tables.length > 0);
  }

  /**
   * The parts of `wanted` ready at `position`: in the catalog, of this version, and whole
   * (a rebuild's swap drops the views over the tables it replaces).
   */
  private async readyParts(
    position: number,
    wanted: readonly Projection[],
  ): Promise<Map<string, Part>> {
    const rows: (Part & { relations: number; expected: number })[] = await this.dataSource.query(
      `SELECT p.projection, p.schema, p.kind, p.checked_at IS NOT NULL AS checked,
                p.materialized_at IS NOT NULL AS materialized, cardinality(w.tables) AS expected,
                (SELECT count(*)::int FROM pg_class c
                  WHERE c.relnamespace = to_regnamespace(p.schema) AND c.relkind IN ('r', 'v')
                    AND c.relname = ANY (w.tables)) AS relations
           FROM known_at_parts p
           JOIN (SELECT unnest($2::text[]) AS projection,
                        string_to_array(unnest($3::text[]), ',') AS tables) w USING (projection)
          WHERE p.position = $1 AND p.version = $4`,
      [
        position,
        wanted.map((projection) => projection.name),
        wanted.map((projection) => [...projection.tables, 'projection_checkpoints'].join(',')),
        this.version,
      ],
    );
    return new Map(
      rows
        .filter((row) => row.relations === row.expected)
        .map(({ relations: _r, expected: _e, ...part }) => [part.projection, part]),
    );
  }

  /** The lowest checkpoint of the projections: every one has committed up to it. */
  private async reached(projections: readonly Projection[]): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT coalesce(min(c.position), 0) AS position, count(c.position)::int AS found
         FROM unnest($1::text[]) AS p (projection)
         LEFT JOIN projection_checkpoints c USING (projection)`,
      [projections.map((projection) => projection.name)],
    );
    return row.found < projections.length ? 0 : Number(row.position);
  }

  /**
   * This process's builds of the parts, two at a time (each holds two connections): each
   * started now, or the one already running.
   */
  private async startBuilds(position: number, projections: readonly Projection[]): Promise<void> {
    const waiting = [...projections];
    const next = async (): Promise<void> => {
      for (let projection = waiting.shift(); projection; projection = waiting.shift()) {
        const key = `${position}/${projection.name}`;
        let build = this.builds.get(key);
        if (!build) {
          build = this.build(position, projection).finally(() => this.builds.delete(key));
          build.catch(() => undefined); // a failed build is reported to the reads waiting on it
          this.builds.set(key, build);
        }
        await build;
      }
    };
    await Promise.all([next(), next()]);
    await this.evict();
  }

  /** Runs `work` holding the part's advisory lock; false when another holds it. */
  private async withPartLock(
    position: number,
    projection: Projection,
    work: () => Promise<void>,
  ): Promise<boolean> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    const key = [LOCK_NAMESPACE, `${position}/${projection.name}`];
    try {
      const [{ locked }] = await lock.query(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
        key,
      );
      if (!locked) return false;
      try {
        await work();
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', key);
      }
      return true;
    } finally {
      await lock.release();
    }
  }

  private async build(position: number, projection: Projection): Promise<void> {
    const built = await this.withPartLock(position, projection, async () => {
      if ((await this.readyParts(position, [projection])).size === 0)
        await this.buildLocked(position, projection);
    });
    // Another process builds it: the reads poll the catalog, this often.
    if (!built) await sleep(POLL_MS);
  }

  private async buildLocked(position: number, projection: Projection): Promise<void> {
    const started = Date.now();
    let schema = partSchema(position, projection.name, 'made');
    let inTables = false;
    const live = await this.liveSchema();
    await this.assertHistoryReaches(position, projection);
    // The snapshot's row first, on its own: the parts of one position, made by several
    // processes at once, only share it (FOR KEY SHARE below), never wait on each other for it.
    const snapshotRow = `INSERT INTO known_at_snapshots
        (position, state, version, reached, built_at, build_ms, last_used_at)
      VALUES ($1, 'ready', $2, $1, now(), 0, now()) ON CONFLICT (position) DO NOTHING`;
    const beyond = async (tx: Pick<DataSource, 'query'>, lock: boolean) => {
      const horizon = await retentionHorizon(tx, lock);
      if (horizon && position < horizon.position) {
        throw new KnownAtBeyondRetention(position, horizon.position, horizon.time);
      }
    };
    await beyond(this.dataSource, false);
    await this.dataSource.query(snapshotRow, [position, this.version]);
    let kind: PartKind = 'views';
    await projectionTransaction(this.dataSource, async (_context, tx) => {
      // Held until the part commits: a pruning waits, and one that committed first is seen.
      await beyond(tx, true);
      // Evicted meanwhile: made again. Locked against eviction until this commits.
      await tx.query(snapshotRow, [position, this.version]);
      await tx.query('SELECT FROM known_at_snapshots WHERE position = $1 FOR KEY SHARE', [
        position,
      ]);
      for (const generation of PART_GENERATIONS) {
        await tx.query(
          `DROP SCHEMA IF EXISTS ${partSchema(position, projection.name, generation)} CASCADE`,
        );
      }
      await tx.query(`CREATE SCHEMA ${schema}`);
      kind = await fillPart(
        tx,
        this.store,
        projection,
        this.names(),
        { schema, live, position },
        { readBatch: (batch) => this.readBatch(batch) },
      );
      if (kind !== 'copy' && (await this.copyAtOnce(tx, projection))) {
        const tables = partSchema(position, projection.name, 'tables');
        await tx.query(`CREATE SCHEMA ${tables}`);
        await materializePart(tx, projection, this.names(), schema, {
          schema: tables,
          live,
          position,
        });
        await tx.query(`DROP SCHEMA ${schema} CASCADE`);
        schema = tables;
        inTables = true;
      }
      await tx.query(
        `INSERT INTO known_at_parts (position, projection, schema, kind, version, build_ms,
                                     checked_at, materialized_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $4 = 'replay' THEN NULL ELSE now() END,
                 CASE WHEN $4 = 'copy' OR $7 THEN now() END)
         ON CONFLICT (position, projection) DO UPDATE
           SET schema = excluded.schema, kind = excluded.kind, version = excluded.version,
               built_at = now(), build_ms = excluded.build_ms, checked_at = excluded.checked_at,
               materialized_at = excluded.materialized_at`,
        [
          position,
          projection.name,
          schema,
          kind,
          this.version,
          Date.now() - started,
          projection.tables.length === 0 || inTables,
        ],
      );
    });
    this.notify({
      position,
      projection: projection.name,
      ms: Date.now() - started,
      kind,
      ...(inTables ? { inTables } : {}),
    });
  }

  /** A batch's events, read once for the parts of every projection whose batch it is. */
  private readBatch(batch: Batch): Promise<RecordedEvent[]> {
    const kept = this.lastBatch;
    if (kept?.after === batch.after && kept.last === batch.last) return kept.events;
    const events = batchEvents(this.store, batch);
    events.catch(() => (this.lastBatch = undefined));
    this.lastBatch = { ...batch, events };
    return events;
  }

  /** Whether the projection's part is small enough to copy into tables while it is made. */
  private async copyAtOnce(tx: QueryRunner, projection: Projection): Promise<boolean> {
    if (!(this.options.materialize ?? true) || projection.tables.length === 0) return false;
    const live = await this.liveSchema();
    const [{ rows }] = await tx.query(
      `SELECT coalesce(sum(CASE WHEN reltuples >= 0 THEN reltuples
                                ELSE pg_relation_size(oid) / 64 END), 0)::float8 AS rows
         FROM pg_class WHERE oid = ANY ($1::regclass[])`,
      [projection.tables.map((table) => `${live}.${table}`)],
    );
    return rows <= (this.options.copyAtOnceRows ?? 50_000);
  }

  /** Queues the part's check and copy into tables, if it still needs them. */
  private refineLater(position: number, part: Part): void {
    const materialize = this.options.materialize ?? true;
    if (part.checked && (part.materialized || !materialize)) return;
    const projection = this.projections.find((p) => p.name === part.projection);
    const key = `${position}/${part.projection}`;
    if (!projection || this.closing || this.queued.has(key)) return;
    this.queued.add(key);
    this.background = this.background.then(async () => {
      try {
        if (!this.closing) await this.refine(position, projection);
      } catch (error) {
        this.options.log?.(
          `Refining the read model ${projection.name} as known at ${position} failed: ` +
            (error instanceof Error ? error.message : String(error)),
        );
      } finally {
        this.queued.delete(key);
      }
    });
  }

  /**
   * Off the read's path, under the part's lock: an overlay is checked against its batch's end
   * (`checkOverlay`) and, should it differ, made again by the copy path; then the part is
   * copied into real tables (`materializePart`). Each step switches the catalog to its new
   * schema in one transaction, so a read finds the old schema or the new one, whole.
   */
  private async refine(position: number, projection: Projection): Promise<void> {
    await this.withPartLock(position, projection, async () => {
      let [part] = (await this.readyParts(position, [projection])).values();
      if (!part) return;
      if (part.kind === 'replay' && !part.checked) {
        const differing = await this.checkPart(position, projection);
        if (differing > 0) {
          this.options.log?.(
            `The overlay of ${projection.name} as known at ${position} differed from its ` +
              `batch's end in ${differing} rows: made again by copying its tables`,
          );
          await this.repair(position, projection, part.schema);
          return;
        }
        await this.dataSource.query(
          `UPDATE known_at_parts SET checked_at = now()
            WHERE position = $1 AND projection = $2 AND schema = $3`,
          [position, projection.name, part.schema],
        );
        part = { ...part, checked: true };
      }
      if (!part.materialized && (this.options.materialize ?? true)) {
        await this.materialize(position, projection, part.schema);
      }
    });
  }

  /** Rows of the part's overlay that differ from its batch's end; 0 when exact. */
  private async checkPart(position: number, projection: Projection): Promise<number> {
    const live = await this.liveSchema();
    try {
      await projectionTransaction(this.dataSource, async (_context, tx) => {
        const scratch = `${partSchema(position, projection.name, 'made')}_x`;
        await tx.query(`CREATE SCHEMA ${scratch}`);
        throw new CheckAnswer(
          await checkOverlay(tx, this.store, projection, { schema: scratch, live, position }),
        );
      });
    } catch (error) {
      if (error instanceof CheckAnswer) return error.differing;
      throw error;
    }
    return 0;
  }

  /** The part made again by the copy path, in place of the overlay in `from`. */
  private async repair(position: number, projection: Projection, from: string): Promise<void> {
    const started = Date.now();
    const schema = partSchema(position, projection.name, 'copied');
    const live = await this.liveSchema();
    const switched = await this.switchPart(position, projection, from, schema, async (tx) => {
      await fillPart(
        tx,
        this.store,
        projection,
        this.names(),
        { schema, live, position },
        {
          copy: true,
        },
      );
      return `kind = 'copy', built_at = now(), build_ms = ${Date.now() - started},
              checked_at = now(), materialized_at = now()`;
    });
    if (switched) {
      this.notify({
        position,
        projection: projection.name,
        ms: Date.now() - started,
        kind: 'copy',
        repaired: true,
      });
    }
  }

  /** The part copied into real, indexed tables, in place of its views in `from`. */
  private async materialize(position: number, projection: Projection, from: string) {
    const started = Date.now();
    const schema = partSchema(position, projection.name, 'tables');
    const live = await this.liveSchema();
    const switched = await this.switchPart(position, projection, from, schema, async (tx) => {
      await materializePart(tx, projection, this.names(), from, { schema, live, position });
      return 'materialized_at = now()';
    });
    if (switched) {
      this.notify({
        position,
        projection: projection.name,
        ms: Date.now() - started,
        kind: 'tables',
      });
    }
  }

  /**
   * Makes the part anew in `schema` (`make` fills it and says what else the catalog row
   * changes), points the catalog at it, and drops `from`. Nothing when the part was dropped
   * or made again meanwhile. A read that opened `from` before the switch and reads after its
   * drop fails with 42P01, and the reader opens the part again.
   */
  private async switchPart(
    position: number,
    projection: Projection,
    from: string,
    schema: string,
    make: (tx: QueryRunner) => Promise<string>,
  ): Promise<boolean> {
    const switched = await projectionTransaction(this.dataSource, async (_context, tx) => {
      // Against eviction and pruning (FOR UPDATE of the snapshot's row) until this commits.
      const [snapshot] = await tx.query(
        'SELECT position FROM known_at_snapshots WHERE position = $1 FOR KEY SHARE',
        [position],
      );
      const [part] = await tx.query(
        'SELECT schema FROM known_at_parts WHERE position = $1 AND projection = $2 FOR UPDATE',
        [position, projection.name],
      );
      if (!snapshot || part?.schema !== from) return false;
      const horizon = await retentionHorizon(tx, true);
      if (horizon && position < horizon.position) return false;
      await tx.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await tx.query(`CREATE SCHEMA ${schema}`);
      const changes = await make(tx);
      await tx.query(
        `UPDATE known_at_parts SET schema = $3, ${changes} WHERE position = $1 AND projection = $2`,
        [position, projection.name, schema],
      );
      return true;
    });
    if (switched) await this.dataSource.query(`DROP SCHEMA IF EXISTS ${from} CASCADE`);
    return switched;
  }

  private notify(build: KnownAtBuild): void {
    // The part has committed: a failing listener must not fail the read that waits on it.
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

  private async assertHistoryReaches(position: number, projection: Projection): Promise<void> {
    const [row] = await this.dataSource.query(
      `SELECT history_from FROM projection_checkpoints
        WHERE projection = $1 AND history_from > $2`,
      [projection.name, position],
    );
    if (row) {
      throw new KnownAtBeforeHistory(position, Number(row.history_from), [projection.name]);
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

  private names(): string[] {
    return this.projections.map((projection) => projection.name);
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
