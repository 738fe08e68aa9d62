import type { EventStore } from '#event-store';
import type { DataSource } from 'typeorm';
import type { Projection } from '../runner/projection.js';
import { projectionTransaction } from '../runner/projection-transaction.js';

export type KnownAtSnapshotsOptions = {
  /**
   * The version of the projections' code and tables (e.g. the service version): a snapshot
   * built by another version is built again, since its figures or columns may differ.
   */
  version?: string;
  /** Snapshots kept; the least recently read beyond this are dropped. */
  keep?: number;
  /** How long a read waits for a snapshot being built before answering 503. */
  waitMs?: number;
  batchSize?: number;
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

const LOCK_NAMESPACE = 7246;
const POLL_MS = 100;

/** The schema holding the read models as known at a log position. */
export const knownAtSchema = (position: number) => `known_at_${position}`;

/**
 * Read models as they stood when the log ended at a position: every projection replayed
 * over that prefix of the log into a schema of its own, with the same table names, so any
 * query reads it unchanged under `search_path`. Built on first use (from the nearest older
 * snapshot when there is one), kept for later reads, and shared by every process through
 * the `known_at_snapshots` catalog; an advisory lock lets one process build each.
 */
export class KnownAtSnapshots {
  private readonly codeVersion: string;
  private version = '';
  private readonly keep: number;
  private readonly waitMs: number;
  private readonly batchSize: number;
  private readonly builds = new Map<number, Promise<void>>();
  private live?: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    options: KnownAtSnapshotsOptions = {},
  ) {
    this.codeVersion = options.version ?? 'unversioned';
    this.keep = options.keep ?? 8;
    this.waitMs = options.waitMs ?? 20_000;
    this.batchSize = options.batchSize ?? 5_000;
  }

  /**
   * The `search_path` that reads the snapshot at `position`, once it is ready; starts building
   * it if needed, and waits for it up to `waitMs`.
   */
  async open(position: number): Promise<string> {
    this.version ||= await this.shapeVersion();
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const row = await this.catalogRow(position);
      if (row?.state === 'ready' && row.version === this.version) {
        await this.dataSource.query(
          'UPDATE known_at_snapshots SET last_used_at = now() WHERE position = $1',
          [position],
        );
        return `${knownAtSchema(position)}, ${await this.liveSchema()}`;
      }
      const build = this.startBuild(position);
      const left = deadline - Date.now();
      if (left <= 0) throw new KnownAtSnapshotBuilding(position, Number(row?.reached ?? 0));
      await Promise.race([build, sleep(Math.min(POLL_MS * 10, left))]);
    }
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
          const row = await this.catalogRow(position);
          if (row?.state !== 'ready' || row.version !== this.version) {
            await this.buildLocked(position);
          }
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
    const base = await this.nearestOlder(position);
    await projectionTransaction(this.dataSource, async (_context, tx) => {
      await tx.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await tx.query(`CREATE SCHEMA ${schema}`);
      for (const table of [...this.tables(), 'projection_checkpoints']) {
        await tx.query(`CREATE TABLE ${schema}.${table} (LIKE ${live}.${table} INCLUDING ALL)`);
        if (base !== undefined && table !== 'projection_checkpoints') {
          await tx.query(
            `INSERT INTO ${schema}.${table} OVERRIDING SYSTEM VALUE
             SELECT * FROM ${knownAtSchema(base)}.${table}`,
          );
        }
      }
      await tx.query(
        `INSERT INTO known_at_snapshots (position, state, version, reached, based_on)
         VALUES ($1, 'building', $4, $2, $3)
         ON CONFLICT (position) DO UPDATE
           SET state = 'building', version = $4, reached = $2, based_on = $3,
               started_at = now(), built_at = NULL`,
        [position, base ?? 0, base ?? null, this.version],
      );
    });
    let after = base ?? 0;
    while (after < position) {
      const page = await this.store.readAll({ after, maxCount: this.batchSize });
      const events = page.filter((event) => event.position <= position);
      if (events.length === 0) break;
      await projectionTransaction(this.dataSource, async ({ query }, tx) => {
        await tx.query(`SET LOCAL search_path TO ${schema}, ${live}`);
        for (const projection of this.projections) {
          await projection.apply(events, { query, table: (name) => name });
        }
        after = events[events.length - 1].position;
        await tx.query('UPDATE known_at_snapshots SET reached = $2 WHERE position = $1', [
          position,
          after,
        ]);
      });
      if (events.length < page.length) break;
    }
    await projectionTransaction(this.dataSource, async (_context, tx) => {
      await tx.query(
        `INSERT INTO ${schema}.projection_checkpoints (projection, position)
         SELECT unnest($1::text[]), $2`,
        [this.projections.map((projection) => projection.name), position],
      );
      await tx.query(
        `UPDATE known_at_snapshots
            SET state = 'ready', reached = $2, built_at = now(), build_ms = $3, last_used_at = now()
          WHERE position = $1`,
        [position, position, Date.now() - started],
      );
    });
  }

  /** The newest ready snapshot below `position`, to copy instead of replaying from zero. */
  private async nearestOlder(position: number): Promise<number | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT position FROM known_at_snapshots
        WHERE state = 'ready' AND version = $2 AND position < $1 ORDER BY position DESC LIMIT 1`,
      [position, this.version],
    );
    return row ? Number(row.position) : undefined;
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
      await projectionTransaction(this.dataSource, async (_context, tx) => {
        await tx.query('DELETE FROM known_at_snapshots WHERE position = $1', [position]);
        await tx.query(`DROP SCHEMA IF EXISTS ${knownAtSchema(Number(position))} CASCADE`);
      });
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
