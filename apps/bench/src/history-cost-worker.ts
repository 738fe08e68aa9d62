/**
 * What keeping the read models' row history costs their projection: the same projections run
 * over the first events of the log into fresh copies of their tables (schema `history_cost`),
 * once without row history and once with it, through the live loop and then a rebuild. Prints
 * one JSON line. Run by the harness, with the service stopped (the runner takes the
 * projections' locks): `node history-cost-worker.js <database-url> <events>`.
 */
import 'reflect-metadata';
import { type EventStore, PostgresEventStore, type ReadAllOptions } from '#event-store';
import { survivingPoolClients } from '#database';
import {
  createRowHistory,
  hasRowHistory,
  ProjectionRunner,
  projections,
  VERSION_START,
} from '#projections';
import pg from 'pg';
import { DataSource } from 'typeorm';

export type HistoryCostRun = { liveMs: number; rebuildMs: number };

export type HistoryCostReport = {
  events: number;
  without: HistoryCostRun;
  with: HistoryCostRun;
};

const SCHEMA = 'history_cost';

const [url, limit] = process.argv.slice(2);
if (!url || !limit) throw new Error('usage: history-cost-worker <database-url> <events>');

const pool = new pg.Pool({ connectionString: url, max: 10, application_name: 'bench history' });
const store = new PostgresEventStore(pool);
try {
  const { rows } = await pool.query<{ position: string; n: string }>(
    `SELECT coalesce(max(global_position), 0) AS position, count(*) AS n
       FROM (SELECT global_position FROM events ORDER BY global_position LIMIT $1) first`,
    [Number(limit)],
  );
  const end = Number(rows[0].position);
  const report: HistoryCostReport = {
    events: Number(rows[0].n),
    without: await run(endingAt(store, end), end, false),
    with: await run(endingAt(store, end), end, true),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await pool.end();
}

/** The store as if its log ended at `end`, so both runs project the same events. */
function endingAt(store: PostgresEventStore, end: number): EventStore {
  return Object.assign(Object.create(store) as PostgresEventStore, {
    readAll: async (options: ReadAllOptions) =>
      (await store.readAll(options)).filter((event) => event.position <= end),
    headPosition: async () => end,
  });
}

async function run(bounded: EventStore, end: number, history: boolean): Promise<HistoryCostRun> {
  await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await pool.query(`CREATE SCHEMA ${SCHEMA}`);
  const dataSource = await new DataSource({
    type: 'postgres',
    url,
    poolSize: 10,
    // The copies first (each versioned copy's trigger function is made beside it).
    extra: { ...survivingPoolClients, options: `-c search_path=${SCHEMA},public` },
  }).initialize();
  try {
    const tables = ['projection_checkpoints', 'projection_batches'];
    for (const table of [...tables, ...projections.flatMap((projection) => projection.tables)]) {
      await dataSource.query(
        `CREATE TABLE ${SCHEMA}.${table} (LIKE public.${table} INCLUDING ALL)`,
      );
      if (history && (await hasRowHistory(dataSource, `public.${table}`))) {
        await createRowHistory(dataSource, table);
      } else {
        // Without history, without the start of each row's version that it keeps.
        await dataSource.query(
          `ALTER TABLE ${SCHEMA}.${table} DROP COLUMN IF EXISTS ${VERSION_START}`,
        );
      }
    }
    const runner = new ProjectionRunner(bounded, dataSource, projections);
    const started = performance.now();
    await runner.start();
    try {
      await runner.caughtUp(end, 24 * 3_600_000);
      const liveMs = performance.now() - started;
      const rebuilding = performance.now();
      for (const outcome of await runner.rebuildAll(runner.projections)) {
        if ('error' in outcome) throw new Error(`${outcome.projection}: ${outcome.error.message}`);
      }
      return { liveMs, rebuildMs: performance.now() - rebuilding };
    } finally {
      await runner.stop();
    }
  } finally {
    await dataSource.destroy();
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  }
}
