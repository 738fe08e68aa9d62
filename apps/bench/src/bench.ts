import { projections } from '#projections';
import pg from 'pg';
import { ApiService, sleep } from './api-service.js';
import { type BenchDatabase } from './bench-database.js';
import { type BenchOptions } from './bench-options.js';
import { type Measured, type Outcome } from './figures.js';
import { type SeriesShape, seriesShape } from './store/generated-events.js';
import { prefillStore } from './store/prefill-store.js';

/** The unit the HTTP scenarios enroll participants in. */
export const HTTP_UNIT_ID = 'BENCH-HTTP';

/**
 * What scenarios share: the database, the service (started when first needed, stopped when a
 * scenario needs the store to itself), the pre-filled store, and the outcomes so far.
 */
export class Bench {
  readonly pool: pg.Pool;
  private api?: ApiService;
  private unitRegistered = false;
  private filled?: SeriesShape;
  /** Whether the read models hold the pre-filled events (a rebuild ran after the pre-fill). */
  readModelsRebuilt = false;

  constructor(
    readonly options: BenchOptions,
    readonly database: BenchDatabase,
    readonly outcomes: Map<string, Outcome>,
    readonly workDir: string,
    readonly jwtSecret: string,
    readonly log: (message: string) => void,
  ) {
    this.pool = new pg.Pool({ connectionString: database.url, max: 10, application_name: 'bench' });
    // pool.end() resolves before its connections have closed: stopping the server right after
    // ends them from the other side, which an idle client reports here.
    this.pool.on('error', () => undefined);
  }

  /** The value a figure measured earlier in this run, if it did. */
  measured(figure: string): Measured | undefined {
    const outcome = this.outcomes.get(figure);
    return outcome?.status === 'measured' ? outcome.measured : undefined;
  }

  /** The running service, with the unit the HTTP scenarios need. */
  async service(): Promise<ApiService> {
    if (!this.api) {
      this.log('Starting the service');
      this.api = await ApiService.start({
        databaseUrl: this.database.url,
        jwtSecret: this.jwtSecret,
      });
    }
    if (!this.unitRegistered) {
      await this.api.post('/units', {
        unitId: HTTP_UNIT_ID,
        name: 'Benchmark province',
        level: 'province',
        effectiveDate: '2024-01-01',
      });
      this.unitRegistered = true;
    }
    return this.api;
  }

  async stopService(): Promise<void> {
    if (!this.api) return;
    this.log('Stopping the service');
    const api = this.api;
    this.api = undefined;
    await api.stop();
  }

  /**
   * Fills the store up to `options.events` (once), with the service stopped meanwhile; returns
   * the ids of what it generated.
   */
  async filledStore(): Promise<SeriesShape> {
    if (this.filled) return this.filled;
    await this.stopService();
    this.log(
      `Pre-filling the event store to ${this.options.events.toLocaleString('en-US')} events with COPY`,
    );
    const started = performance.now();
    const { added, series } = await prefillStore(this.database.url, this.options.events);
    this.log(
      `  added ${added.toLocaleString('en-US')} events in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    this.filled = seriesShape(series);
    return this.filled;
  }

  async storedEvents(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
    return Number(rows[0].n);
  }

  async head(): Promise<number> {
    const { rows } = await this.pool.query<{ head: string }>(
      'SELECT coalesce(max(global_position), 0) AS head FROM events',
    );
    return Number(rows[0].head);
  }

  /**
   * Waits until every registered projection has committed the log's head, then writes dirty
   * pages out: a load that measures lag must not start behind the backlog an earlier phase left
   * (the import's 100k events at `--large`), nor meet its checkpoint. Logs the wait.
   */
  async settled(timeoutMs = 30 * 60_000): Promise<void> {
    const head = await this.head();
    const names = projections.map((projection) => projection.name);
    const started = performance.now();
    for (;;) {
      const { rows } = await this.pool.query<{ behind: number }>(
        `SELECT count(*)::int AS behind FROM unnest($1::text[]) AS p (projection)
           LEFT JOIN projection_checkpoints c USING (projection)
          WHERE coalesce(c.position, 0) < $2`,
        [names, head],
      );
      if (rows[0].behind === 0) break;
      if (performance.now() - started > timeoutMs) {
        throw new Error(`${rows[0].behind} projections did not reach position ${head} in time`);
      }
      await sleep(100);
    }
    const waited = performance.now() - started;
    if (waited > 1_000) this.log(`  (waited ${(waited / 1000).toFixed(1)} s for the projections)`);
    await this.checkpoint();
  }

  /** Writes dirty pages out between phases, so one phase's checkpoint does not land in the next. */
  async checkpoint(): Promise<void> {
    await this.pool.query('CHECKPOINT').catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.stopService();
    await this.pool.end();
  }
}
