import type pg from 'pg';
import { type Bench } from '../bench.js';
import { type Measured } from '../figures.js';
import { type Scenario } from '../scenario.js';
import { latencyOf, now, rate } from '../statistics.js';
import { EVENT_INSERT_COLUMNS, copyEvents, insertValues } from '../store/copy-events.js';
import { type GeneratedEvent, generatedEvents } from '../store/generated-events.js';

/** Page size of the keyset read: the projection runner's rebuild batch. */
export const KEYSET_PAGE = 5_000;

const READ_COLUMNS = `global_position, event_id, stream_id, stream_revision, type, schema_version,
  data, metadata, occurred_at, recorded_at`;

/**
 * A table like `events` (same columns, identity, indexes and constraints; the update/delete
 * trigger is not copied, and it never fires on insert), for the raw baselines. Without the hash
 * chain: its columns are dropped and record times come from the clock again, so the baselines
 * stay what they measured before the chain, and the chain's cost shows in our figures' ratios.
 */
async function rawTable(bench: Bench, name: string): Promise<string> {
  await bench.pool.query(`DROP TABLE IF EXISTS ${name}`);
  await bench.pool.query(`CREATE TABLE ${name} (LIKE events INCLUDING ALL)`);
  await bench.pool.query(
    `ALTER TABLE ${name}
       DROP CONSTRAINT events_hash_is_sha256, DROP CONSTRAINT events_recorded_at_in_ms,
       DROP COLUMN hash, DROP COLUMN previous_hash,
       ALTER COLUMN recorded_at SET DEFAULT clock_timestamp()`,
  );
  return name;
}

async function dropTable(bench: Bench, name: string): Promise<void> {
  await bench.pool.query(`DROP TABLE IF EXISTS ${name}`);
  await bench.checkpoint();
}

async function averagePayloadBytes(pool: pg.Pool, table: string): Promise<number> {
  const { rows } = await pool.query<{ bytes: string }>(
    `SELECT avg(octet_length(data::text) + octet_length(metadata::text)) AS bytes
     FROM (SELECT data, metadata FROM ${table} LIMIT 10000) sample`,
  );
  return Math.round(Number(rows[0].bytes));
}

/** COPY of N events on one connection, then the same table read back in position order. */
export const copyAndRead: Scenario = {
  id: 'copy-and-read',
  figures: ['copy', 'keyset-read'],
  async run(bench) {
    const table = await rawTable(bench, 'bench_raw_copy');
    const client = await bench.pool.connect();
    let copy: Measured;
    try {
      const started = now();
      const count = await copyEvents(client, table, generatedEvents('copy', bench.options.events));
      const elapsed = now() - started;
      copy = {
        value: rate(count, elapsed),
        details: {
          events: count,
          seconds: elapsed / 1000,
          payloadBytes: await averagePayloadBytes(bench.pool, table),
        },
      };
    } finally {
      client.release();
    }
    await bench.checkpoint();
    const read = await keysetRead(bench.pool, table);
    await dropTable(bench, table);
    return { copy, 'keyset-read': read };
  },
};

/** Every row in `global_position` order, one page at a time, as the runner's rebuild reads. */
async function keysetRead(pool: pg.Pool, table: string): Promise<Measured> {
  const pages: number[] = [];
  let after = 0;
  let count = 0;
  const started = now();
  for (;;) {
    const pageStarted = now();
    const { rows } = await pool.query<{ global_position: string }>(
      `SELECT ${READ_COLUMNS} FROM ${table} WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [after, KEYSET_PAGE],
    );
    if (rows.length === 0) break;
    pages.push(now() - pageStarted);
    count += rows.length;
    after = Number(rows[rows.length - 1].global_position);
  }
  const elapsed = now() - started;
  const pageLatency = latencyOf(pages);
  return {
    value: rate(count, elapsed),
    p50: pageLatency.p50,
    p99: pageLatency.p99,
    details: { events: count, pageSize: KEYSET_PAGE, seconds: elapsed / 1000 },
  };
}

const INSERT_ONE = `INSERT INTO %TABLE% (${EVENT_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

/** The event store's own multi-row statement (see PostgresEventStore), without the lock. */
const INSERT_MANY = `INSERT INTO %TABLE% (${EVENT_INSERT_COLUMNS})
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::timestamptz[])`;

/**
 * Autocommitted single-row INSERTs from several connections (`insertConnections`), the raw
 * baseline of `inserts` and of `http-appends`.
 */
export async function insertSingle(bench: Bench): Promise<Measured> {
  const single = await rawTable(bench, 'bench_raw_single');
  const measured = await timedLoops(
    bench,
    bench.options.insertConnections,
    async (client, events) => {
      await client.query(INSERT_ONE.replace('%TABLE%', single), insertValues(events.next().value!));
      return 1;
    },
  );
  await dropTable(bench, single);
  return {
    ...measured,
    details: { ...measured.details, connections: bench.options.insertConnections },
  };
}

/** Autocommitted single-row INSERTs from several connections; and 1000-row INSERTs from one. */
export const inserts: Scenario = {
  id: 'inserts',
  figures: ['insert-single', 'insert-multi'],
  async run(bench) {
    const single = await insertSingle(bench);

    const multi = await rawTable(bench, 'bench_raw_multi');
    const size = bench.options.batchEvents;
    const insertMulti = await timedLoops(bench, 1, async (client, events) => {
      const rows = Array.from({ length: size }, () => insertValues(events.next().value!));
      const columns = rows[0].map((_, column) => rows.map((row) => row[column]));
      await client.query(INSERT_MANY.replace('%TABLE%', multi), columns);
      return size;
    });
    await dropTable(bench, multi);
    return {
      'insert-single': single,
      'insert-multi': {
        ...insertMulti,
        details: { ...insertMulti.details, rowsPerStatement: size },
      },
    };
  },
};

/**
 * `connections` loops, each on its own connection, each calling `step` until the duration is
 * up; `step` returns how many events it wrote. Latency is per step.
 */
async function timedLoops(
  bench: Bench,
  connections: number,
  step: (client: pg.PoolClient, events: Generator<GeneratedEvent>) => Promise<number>,
): Promise<Measured> {
  const events = generatedEvents(`ins${connections}`, Number.MAX_SAFE_INTEGER);
  const clients = await Promise.all(
    Array.from({ length: connections }, () => bench.pool.connect()),
  );
  const latencies: number[] = [];
  let count = 0;
  const started = now();
  const deadline = started + bench.options.durationSeconds * 1000;
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (now() < deadline) {
          const stepStarted = now();
          // Not `count += await …`: that reads `count` before the await and loses the other
          // loops' additions.
          const written = await step(client, events);
          count += written;
          latencies.push(now() - stepStarted);
        }
      }),
    );
  } finally {
    for (const client of clients) client.release();
  }
  const elapsed = now() - started;
  const latency = latencyOf(latencies);
  return {
    value: rate(count, elapsed),
    p50: latency.p50,
    p99: latency.p99,
    details: { events: count, statements: latencies.length, seconds: elapsed / 1000 },
  };
}
