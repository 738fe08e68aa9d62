import { migrateDatabase } from '#database';
import { PostgresEventStore, eventStoreMigrations } from '#event-store';
import pg from 'pg';
import { type Bench } from '../bench.js';
import { type Measured } from '../figures.js';
import { type Scenario } from '../scenario.js';
import { latencyOf, now, rate } from '../statistics.js';
import { type GeneratedEvent } from '../store/generated-events.js';
import {
  appendToNewStreams,
  newStreamBatches,
  toNewEvent,
  writeUntil,
} from '../store/store-writers.js';

/** Writers of the two single-event loads: the raw INSERT baseline's 8, and the service's 64. */
export const STORE_WRITERS = [8, 64] as const;

/**
 * The event store as a library, without HTTP: single-event appends from 8 and 64 concurrent
 * writers, each to a new stream with the expected revision `no_stream`, and appends of
 * `batchEvents` events to as many new streams (the shape of an import batch). It runs in a
 * database of its own on the same server, so the service's scenarios find the store as before.
 * Beside the rates: appends per commit (a commit per connection checkout: the store reads
 * nothing else meanwhile), WAL bytes per event and this process's CPU per event.
 */
export const storeAppends: Scenario = {
  id: 'store-appends',
  figures: [...STORE_WRITERS.map((writers) => `store-append-${writers}`), 'store-append-batch'],
  async run(bench) {
    await bench.stopService();
    const name = `store_bench_${Date.now()}`;
    await bench.pool.query(`CREATE DATABASE ${name}`);
    const url = new URL(bench.database.url);
    url.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
    // The DROP at the end ends connections the pool may still be closing.
    pool.on('error', () => undefined);
    try {
      await migrateDatabase(url.toString(), eventStoreMigrations);
      const store = new PostgresEventStore(pool);
      const results: Record<string, Measured> = {};
      for (const writers of STORE_WRITERS) {
        results[`store-append-${writers}`] = await timedAppends(bench, pool, writers, 1, (events) =>
          store.append(events[0].streamId, events.map(toNewEvent), {
            expectedRevision: 'no_stream',
          }),
        );
        await bench.checkpoint();
      }
      results['store-append-batch'] = await timedAppends(
        bench,
        pool,
        1,
        bench.options.batchEvents,
        (events) => appendToNewStreams(store, events),
      );
      return results;
    } finally {
      await pool.end();
      await bench.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await bench.checkpoint();
    }
  },
};

/** `writers` loops appending `size` events a call until the duration is up. */
async function timedAppends(
  bench: Bench,
  pool: pg.Pool,
  writers: number,
  size: number,
  append: (events: GeneratedEvent[]) => Promise<unknown>,
): Promise<Measured> {
  const take = newStreamBatches(`st${writers}x${size}`, size);
  // A few appends first, so that the JIT and the pool's connections are warm.
  await Promise.all(Array.from({ length: writers }, () => append(take())));
  const walBefore = await walPosition(pool);
  // Each transaction takes a connection from the pool: one checkout per commit.
  let commits = 0;
  const countCommit = () => commits++;
  pool.on('acquire', countCommit);
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = now();
  const deadline = started + bench.options.durationSeconds * 1000;
  const appended = await writeUntil(writers, deadline, take, append, (ms) => latencies.push(ms));
  const elapsed = now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  pool.off('acquire', countCommit);
  const walBytes = (await walPosition(pool)) - walBefore;
  const latency = latencyOf(latencies);
  return {
    value: rate(appended, elapsed),
    p50: latency.p50,
    p99: latency.p99,
    details: {
      writers,
      eventsPerAppend: size,
      events: appended,
      appends: latencies.length,
      commits,
      appendsPerCommit: round(latencies.length / Math.max(commits, 1)),
      walBytesPerEvent: Math.round(walBytes / Math.max(appended, 1)),
      // The store's own CPU (this process: encoding, hashing, node-postgres; and the generator
      // of the events, the same for every variant): a noisy machine stretches the wall time,
      // not this.
      nodeCpuMicrosPerEvent: round((cpu.user + cpu.system) / Math.max(appended, 1)),
      seconds: elapsed / 1000,
    },
  };
}

/** Bytes of WAL written so far by the whole server (nothing else runs during the load). */
async function walPosition(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ wal: string }>(`SELECT pg_current_wal_lsn() - '0/0' AS wal`);
  return Number(rows[0].wal);
}

const round = (n: number) => Math.round(n * 100) / 100;
