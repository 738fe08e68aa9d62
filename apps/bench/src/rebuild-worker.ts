/**
 * Rebuilds every registered projection once, in a process of its own, so that its peak memory
 * is the rebuild's and nothing else's. Prints one JSON line: what the harness's rebuild scenario
 * reads. Run by the harness: `node rebuild-worker.js <database-url>`.
 */
import 'reflect-metadata';
import { PostgresEventStore } from '#event-store';
import { survivingPoolClients } from '#database';
import { ProjectionRunner, projections } from '#projections';
import pg from 'pg';
import { DataSource } from 'typeorm';

export type RebuildReport = {
  projections: string[];
  events: number;
  elapsedMs: number;
  /** The most resident memory before the rebuild started (start-up), and overall (MiB). */
  rssBeforeMiB: number;
  peakRssMiB: number;
  /** Per projection, the time its replay's transactions took (ms), slowest first. */
  transactionMs: Record<string, number>;
};

const url = process.argv[2];
if (!url) throw new Error('usage: rebuild-worker <database-url>');

const pool = new pg.Pool({ connectionString: url, max: 10, application_name: 'bench rebuild' });
const dataSource = await new DataSource({
  type: 'postgres',
  url,
  poolSize: 10,
  extra: survivingPoolClients,
}).initialize();
const store = new PostgresEventStore(pool);
const runner = new ProjectionRunner(store, dataSource, projections);
try {
  await runner.start();
  // Only the process that runs a projection may rebuild it: wait until this one does.
  for (let waited = 0; ; waited += 50) {
    const states = await runner.status();
    if (states.every((state) => state.state === 'running')) break;
    if (waited > 30_000)
      throw new Error(`The projections did not start: ${JSON.stringify(states)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
  const events = Number(rows[0].n);
  const rssBeforeMiB = process.resourceUsage().maxRSS / 1024;
  const transactionMs = new Map<string, number>();
  runner.observe({
    rebuildFinished: (rebuild) => transactionMs.set(rebuild.projection, rebuild.transactionMs),
  });
  const started = performance.now();
  for (const outcome of await runner.rebuildAll(runner.projections)) {
    if ('error' in outcome) throw new Error(`${outcome.projection}: ${outcome.error.message}`);
  }
  const report: RebuildReport = {
    projections: runner.projections,
    events,
    elapsedMs: performance.now() - started,
    rssBeforeMiB,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    transactionMs: Object.fromEntries(
      [...transactionMs]
        .sort(([, a], [, b]) => b - a)
        .map(([projection, ms]) => [projection, Math.round(ms)]),
    ),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await runner.stop();
  await dataSource.destroy();
  await pool.end();
}
