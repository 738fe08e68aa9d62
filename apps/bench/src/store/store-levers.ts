/**
 * Two variants of the event store in one process, on one database, alternating in 2-second
 * slices: a busy, shared machine drifts by the minute, and slices put the drift on both alike.
 * For levers whose gain is smaller than the noise between whole bench runs
 * (docs/benchmarks.md, "The event store as a library").
 *
 *   node dist/apps/bench/src/store/store-levers.js <database url> [writers] [events a call] [slices]
 *
 * Variant A commits every group in three round trips, B in one where it can (every group: the
 * threshold at 1). It creates a database beside the one named and drops it at the end.
 */
import { migrateDatabase } from '#database';
import { PostgresEventStore, eventStoreMigrations } from '#event-store';
import pg from 'pg';
import { now } from '../statistics.js';
import { appendToNewStreams, newStreamBatches, writeUntil } from './store-writers.js';

const SLICE_MS = 2_000;

type Totals = { events: number; ms: number; cpuMicros: number; checkouts: number };

async function main(): Promise<void> {
  const [url, writersText = '8', sizeText = '1', slicesText = '8'] = process.argv.slice(2);
  if (!url) throw new Error('Usage: store-levers <database url> [writers] [size] [slices]');
  const [writers, size, slices] = [writersText, sizeText, slicesText].map(Number);
  const admin = new pg.Client(url);
  await admin.connect();
  const name = `store_levers_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: target.toString(), max: 10 });
  pool.on('error', () => undefined);
  try {
    await migrateDatabase(target.toString(), eventStoreMigrations);
    const variants = {
      A: new PostgresEventStore(pool, { oneRoundTripMinEvents: Infinity }),
      B: new PostgresEventStore(pool, { oneRoundTripMinEvents: 1 }),
    };
    const take = newStreamBatches(`levers${Date.now()}`, size);
    let checkouts = 0;
    pool.on('acquire', () => checkouts++);
    const totals: Record<'A' | 'B', Totals> = {
      A: { events: 0, ms: 0, cpuMicros: 0, checkouts: 0 },
      B: { events: 0, ms: 0, cpuMicros: 0, checkouts: 0 },
    };
    for (const store of Object.values(variants)) {
      await Promise.all(Array.from({ length: writers }, () => appendToNewStreams(store, take())));
    }
    for (let slice = 0; slice < slices * 2; slice++) {
      const variant = slice % 2 === 0 ? 'A' : 'B';
      const checkoutsBefore = checkouts;
      const cpuBefore = process.cpuUsage();
      const started = now();
      const appended = await writeUntil(writers, started + SLICE_MS, take, (batch) =>
        appendToNewStreams(variants[variant], batch),
      );
      const cpu = process.cpuUsage(cpuBefore);
      const total = totals[variant];
      total.events += appended;
      total.ms += now() - started;
      total.cpuMicros += cpu.user + cpu.system;
      total.checkouts += checkouts - checkoutsBefore;
    }
    const summary = Object.fromEntries(
      Object.entries(totals).map(([variant, total]) => [
        variant,
        {
          eventsPerSecond: Math.round((total.events / total.ms) * 1000),
          nodeCpuMicrosPerEvent: Math.round(total.cpuMicros / total.events),
          eventsPerCommit: Math.round((total.events / total.checkouts) * 100) / 100,
        },
      ]),
    );
    const ratio = summary.B.eventsPerSecond / summary.A.eventsPerSecond;
    console.log(JSON.stringify({ writers, size, slices, ...summary, ratioBtoA: ratio }));
    await variants.A.close();
    await variants.B.close();
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
