import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '#event-store';
import { newEvent } from '#event-store/testing';
import { randomInt, randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { createRowHistory } from './row-history.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/**
 * A read model of two tables, amounts per stream and one grand total, built from the
 * streams named `<prefix>-…`. `failWhenReplaying` makes the scratch replay fail, not the live loop.
 */
function amountsProjection(name: string, prefix: string, failWhenReplaying = false): Projection {
  const [streams, totals] = [`${prefix}_streams`, `${prefix}_totals`];
  return {
    name,
    tables: [streams, totals],
    async apply(events, context) {
      if (failWhenReplaying && context.table(streams) !== streams) {
        throw new Error('the replay breaks');
      }
      const folded = new Map<string, { events: number; amount: number }>();
      for (const event of events.filter((e) => e.streamId.startsWith(`${prefix}-`))) {
        const row = folded.get(event.streamId) ?? { events: 0, amount: 0 };
        row.events += 1;
        row.amount += (event.data as { amount: number }).amount;
        folded.set(event.streamId, row);
      }
      if (folded.size === 0) return;
      const rows = [...folded.entries()];
      await context.query(
        `INSERT INTO ${context.table(streams)} AS t (stream_id, events, amount)
         SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[])
         ON CONFLICT (stream_id) DO UPDATE
           SET events = t.events + excluded.events, amount = t.amount + excluded.amount`,
        [rows.map(([id]) => id), rows.map(([, r]) => r.events), rows.map(([, r]) => r.amount)],
      );
      await context.query(
        `INSERT INTO ${context.table(totals)} AS t (id, amount) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET amount = t.amount + excluded.amount`,
        [rows.reduce((sum, [, r]) => sum + r.amount, 0)],
      );
    },
  };
}

describe('verifying a read model against a replay of the log', () => {
  let database: ProjectionTestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  const runners: ProjectionRunner[] = [];

  const openDataSource = () =>
    database.openDataSource({ applicationName: 'verification-test', max: 6 });

  /** A fresh read model with its tables, and a runner that runs it and has caught up. */
  async function runningReadModel(
    options: {
      batchSize?: number;
      rebuildBatchSize?: number;
      failWhenReplaying?: boolean;
      versioned?: boolean;
    } = {},
  ) {
    const prefix = `v_${randomUUID().slice(0, 8)}`;
    await pool.query(
      `CREATE TABLE ${prefix}_streams (stream_id text PRIMARY KEY, events integer NOT NULL, amount bigint NOT NULL)`,
    );
    await pool.query(`CREATE INDEX ${prefix}_streams_by_amount ON ${prefix}_streams (amount)`);
    await pool.query(
      `CREATE TABLE ${prefix}_totals (id integer PRIMARY KEY, amount bigint NOT NULL)`,
    );
    const name = `amounts-${prefix}`;
    const projection = amountsProjection(name, prefix, options.failWhenReplaying);
    const dataSource = await openDataSource();
    if (options.versioned) {
      for (const table of projection.tables) await createRowHistory(dataSource, table);
    }
    const runner = new ProjectionRunner(store, dataSource, [projection], {
      retryDelayMs: 5,
      standbyPollMs: 20,
      ...options,
    });
    runners.push(runner);
    await runner.start();
    const streams = Array.from({ length: 6 }, () => `${prefix}-${randomUUID()}`);
    await append(streams, 5);
    await runner.caughtUp(await store.headPosition());
    return { prefix, name, projection, runner, streams };
  }

  async function append(streams: string[], times: number): Promise<void> {
    await Promise.all(
      streams.map(async (streamId) => {
        for (let i = 0; i < times; i++) {
          const events = Array.from({ length: randomInt(1, 4) }, () =>
            newEvent({ data: { amount: randomInt(1, 1000) } }),
          );
          await store.append(streamId, events, { expectedRevision: 'any' });
        }
      }),
    );
  }

  /** Tables and checkpoints named like a rebuild's or a verification's scratch copies. */
  const scratchTables = async (prefix: string) =>
    (
      await pool.query(
        `SELECT tablename FROM pg_tables WHERE starts_with(tablename, $1) AND strpos(tablename, '__') > 0`,
        [prefix],
      )
    ).rows;
  const scratchCheckpoints = async (name: string) =>
    (
      await pool.query(
        'SELECT projection FROM projection_checkpoints WHERE starts_with(projection, $1)',
        [`${name}__`],
      )
    ).rows;

  beforeAll(async () => {
    database = await projectionTestDatabase({ eventStore: true, runnerTables: true });
    ({ pool, store } = database);
  });

  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    await database.drop();
  });

  it('finds a clean read model equal to its replay, and names the table whose live row was changed', async () => {
    const { prefix, name, runner, streams } = await runningReadModel({ rebuildBatchSize: 7 });
    const head = await store.headPosition();

    const clean = await runner.verify(name);
    expect(clean).toEqual({
      projection: name,
      position: head,
      match: true,
      tables: [
        {
          table: `${prefix}_streams`,
          live: clean.tables[0].rebuilt,
          rebuilt: { rows: 6, digest: expect.any(String) },
          match: true,
        },
        {
          table: `${prefix}_totals`,
          live: clean.tables[1].rebuilt,
          rebuilt: { rows: 1, digest: expect.any(String) },
          match: true,
        },
      ],
    });

    await pool.query(`UPDATE ${prefix}_streams SET events = events + 1 WHERE stream_id = $1`, [
      streams[0],
    ]);
    const corrupted = await runner.verify(name);
    expect(corrupted.match).toBe(false);
    expect(corrupted.tables.map(({ table, match }) => ({ table, match }))).toEqual([
      { table: `${prefix}_streams`, match: false },
      { table: `${prefix}_totals`, match: true },
    ]);
    expect(corrupted.tables[0].live.digest).not.toBe(corrupted.tables[0].rebuilt.digest);
    expect(corrupted.tables[0].rebuilt).toEqual(clean.tables[0].rebuilt);

    expect(await scratchTables(prefix)).toEqual([]);
    expect(await scratchCheckpoints(name)).toEqual([]);
  });

  it('compares the row history at earlier positions too, and names the table whose history was changed', async () => {
    const { prefix, name, runner } = await runningReadModel({
      versioned: true,
      batchSize: 50,
      rebuildBatchSize: 7,
    });
    const head = await store.headPosition();
    const earlier = (tables: { table: string }[]) =>
      tables.filter(({ table }) => table.includes(' as known at ') && !table.endsWith(` ${head}`));

    const clean = await runner.verify(name);
    expect(clean.match).toBe(true);
    expect(earlier(clean.tables).length).toBeGreaterThan(0);

    await pool.query(`UPDATE ${prefix}_streams__history SET amount = amount + 1`);
    const corrupted = await runner.verify(name);
    expect(corrupted.match).toBe(false);
    const mismatched = corrupted.tables.filter(({ match }) => !match).map(({ table }) => table);
    expect(mismatched.length).toBeGreaterThan(0);
    expect(mismatched.every((table) => table.startsWith(`${prefix}_streams as known at `))).toBe(
      true,
    );
  });

  it('reports no false mismatch while appends keep arriving and the live loop keeps committing', async () => {
    const { name, runner, streams } = await runningReadModel({
      batchSize: 3,
      rebuildBatchSize: 20,
      versioned: true,
    });
    let appending = true;
    const appenders = (async () => {
      while (appending) await append(streams, 1);
    })();
    try {
      const positions: number[] = [];
      for (let round = 0; round < 6; round++) {
        const verification = await runner.verify(name);
        expect(verification.match).toBe(true);
        positions.push(verification.position);
      }
      // The live read model moved on between verifications: each compared a later position.
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(positions.length);
    } finally {
      appending = false;
      await appenders;
    }
    // A bound, not a measure: on a loaded machine the live loop's catch-up after the appenders
    // took longer than the default 10 s.
    await runner.caughtUp(await store.headPosition(), 45_000);
    expect((await runner.verify(name)).match).toBe(true);
  }, 120_000);

  it('drops its scratch tables and checkpoint when the replay fails', async () => {
    const { prefix, name, runner } = await runningReadModel({ failWhenReplaying: true });
    await expect(runner.verify(name)).rejects.toThrow('the replay breaks');
    expect(await scratchTables(prefix)).toEqual([]);
    expect(await scratchCheckpoints(name)).toEqual([]);
    expect((await runner.status())[0].state).toBe('running');
  });

  it('refuses while a rebuild of the same projection runs, and a rebuild refuses while it runs', async () => {
    const { prefix, name, runner } = await runningReadModel({ rebuildBatchSize: 2 });
    await append([`${prefix}-${randomUUID()}`], 20);

    const rebuilding = runner.rebuild(name);
    await expect(runner.verify(name)).rejects.toThrow(`Projection ${name} is being rebuilt`);
    await rebuilding;

    const verifying = runner.verify(name);
    await expect(runner.rebuild(name)).rejects.toThrow(`Projection ${name} is being verified`);
    await expect(runner.verify(name)).rejects.toThrow(
      `Projection ${name} is already being verified`,
    );
    expect((await verifying).match).toBe(true);
  });

  it('refuses in a process that does not run the projection, and names an unknown one', async () => {
    const { name, projection, runner } = await runningReadModel();
    const standby = new ProjectionRunner(store, await openDataSource(), [projection], {
      standbyPollMs: 20,
    });
    runners.push(standby);
    await standby.start();
    await expect(standby.verify(name)).rejects.toMatchObject({
      name: 'VerificationRefused',
      message: expect.stringMatching(/not run by this process/),
    });
    await expect(runner.verify('nothing')).rejects.toMatchObject({ name: 'UnknownProjection' });
  });
});
