import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDatabase } from '#database';
import { eventStoreMigrations, PostgresEventStore } from '#event-store';
import { newEvent } from '#event-store/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import type { Projection } from '../runner/projection.js';
import { CreateProjectionCheckpoints1763900000100 } from '../runner/projection-checkpoints.migrations.js';
import { CreateProjectionHistory1763900003200 } from '../runner/projection-history.migrations.js';
import { ProjectionRunner } from '../runner/projection-runner.js';
import { createRowHistory } from '../runner/row-history.js';
import { CreateKnownAtSnapshots1763900003000 } from './known-at.migrations.js';
import { CreateKnownAtRetention1763900006310 } from './history-index.migrations.js';
import { KnownAtBeforeHistory, KnownAtSnapshots } from './known-at-snapshots.js';

describe('known-at snapshots', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  const dataSources: DataSource[] = [];
  let applied = 0;

  /** Sums amounts per stream; counts every event it is given, in any process. */
  const tally: Projection = {
    name: 'tally',
    tables: ['tally'],
    async apply(events, context) {
      applied += events.length;
      await context.query(
        `INSERT INTO ${context.table('tally')} AS t (stream_id, amount)
         SELECT s, sum(a) FROM unnest($1::text[], $2::bigint[]) AS e (s, a) GROUP BY s
         ON CONFLICT (stream_id) DO UPDATE SET amount = t.amount + excluded.amount`,
        [events.map((e) => e.streamId), events.map((e) => (e.data as { amount: number }).amount)],
      );
    },
  };

  /** Like the alerts outbox: owns no read-model table, and writes to a live one of its own. */
  const outbox: Projection = {
    name: 'outbox',
    tables: [],
    async apply(events, context) {
      await context.query('INSERT INTO outbox_effects (events) VALUES ($1)', [events.length]);
    },
  };
  const outboxEffects = async () =>
    Number((await pool.query('SELECT count(*) AS n FROM outbox_effects')).rows[0].n);

  const snapshots = async () => {
    const dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    dataSources.push(dataSource);
    return new KnownAtSnapshots(dataSource, store, [tally, outbox], { waitMs: 10_000 });
  };

  /** Appends one amount per stream, in one append, and lets the runner apply it. */
  async function record(amounts: Record<string, number>): Promise<number> {
    await store.appendToStreams(
      Object.entries(amounts).map(([streamId, amount]) => ({
        streamId,
        events: [newEvent({ data: { amount } })],
        expectedRevision: 'any',
      })),
    );
    const position = await store.headPosition();
    await runner.caughtUp(position);
    return position;
  }

  let runner: ProjectionRunner;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, [
      ...eventStoreMigrations,
      CreateProjectionCheckpoints1763900000100,
      CreateProjectionHistory1763900003200,
      CreateKnownAtSnapshots1763900003000,
      CreateKnownAtRetention1763900006310,
    ]);
    pool = new pg.Pool({ connectionString: database.url });
    store = new PostgresEventStore(pool, { pollIntervalMs: 10 });
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    await dataSource.query(
      'CREATE TABLE tally (stream_id text PRIMARY KEY, amount bigint NOT NULL)',
    );
    await createRowHistory(dataSource, 'tally');
    await dataSource.query('CREATE TABLE outbox_effects (events int NOT NULL)');
    runner = new ProjectionRunner(store, dataSource, [tally, outbox], { batchSize: 100 });
    await runner.start();
  });

  afterAll(async () => {
    await runner.stop();
    await Promise.all(dataSources.map((source) => source.destroy()));
    await dataSource.destroy();
    await pool.end();
    await database.drop();
  });

  it('reads the tables as they stood at a position from their history, replaying nothing', async () => {
    await record({ 'tally-a': 3, 'tally-b': 1 });
    const then = await record({ 'tally-a': 4 });
    await record({ 'tally-a': 100, 'tally-b': 2, 'tally-c': 7 });
    const replayed = applied;

    const searchPath = await (await snapshots()).open(then);

    expect(applied).toBe(replayed);
    const rows = await dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL search_path TO ${searchPath}`);
      return manager.query('SELECT stream_id, amount FROM tally ORDER BY stream_id');
    });
    expect(rows).toEqual([
      { stream_id: 'tally-a', amount: '7' },
      { stream_id: 'tally-b', amount: '1' },
    ]);
  });

  it('makes a point once when two processes ask for it together, and both read it', async () => {
    const position = await record({ 'tally-d': 5 });
    await record({ 'tally-d': 100 });

    const [first, second] = await Promise.all([
      (await snapshots()).open(position),
      (await snapshots()).open(position),
    ]);
    expect(first).toBe(second);
    expect(first).toBe(`known_at_${position}`);
    const { rows } = await pool.query(
      `SELECT amount FROM known_at_${position}.tally WHERE stream_id = 'tally-d'`,
    );
    expect(rows).toEqual([{ amount: '5' }]);
  });

  it('replays no projection that owns no table, for a position inside a batch', async () => {
    // Two appends the runner applies in one batch: the first one's position is inside it.
    await runner.stop();
    const append = (amount: number) =>
      store.appendToStreams([
        { streamId: 'tally-h', events: [newEvent({ data: { amount } })], expectedRevision: 'any' },
      ]);
    await append(6);
    const inside = await store.headPosition();
    await append(60);
    runner = new ProjectionRunner(store, dataSource, [tally, outbox], { batchSize: 100 });
    await runner.start();
    await runner.caughtUp(await store.headPosition());
    const effects = await outboxEffects();

    const searchPath = await (await snapshots()).open(inside);

    expect(await outboxEffects()).toBe(effects);
    const { rows } = await pool.query(
      `SELECT amount FROM ${searchPath.split(',')[0]}.tally WHERE stream_id = 'tally-h'`,
    );
    expect(rows).toEqual([{ amount: '6' }]);
  });

  it("never answers with today's rows when the snapshot's schema is gone before the read", async () => {
    const position = await record({ 'tally-e': 1 });
    await record({ 'tally-e': 1000 });
    const searchPath = await (await snapshots()).open(position);
    await pool.query(`DROP SCHEMA known_at_${position} CASCADE`);

    const read = dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL search_path TO ${searchPath}`);
      return manager.query(`SELECT amount FROM tally WHERE stream_id = 'tally-e'`);
    });

    await expect(read).rejects.toMatchObject({ code: '42P01' });
    const again = await (await snapshots()).open(position);
    const { rows } = await pool.query(
      `SELECT amount FROM ${again}.tally WHERE stream_id = 'tally-e'`,
    );
    expect(rows).toEqual([{ amount: '1' }]);
  });

  it('reads a history the rebuild made again from the log, from its start', async () => {
    const position = await record({ 'tally-g': 2 });
    await record({ 'tally-g': 30 });
    // Its views are over the tables the rebuild replaces: they must be made again after.
    await (await snapshots()).open(position);
    await pool.query(`UPDATE tally__history SET amount = -1 WHERE NOT absent`);
    await pool.query(
      "UPDATE projection_checkpoints SET history_from = $1 WHERE projection = 'tally'",
      [position + 1],
    );

    await runner.rebuild('tally');

    const { rows } = await pool.query(
      `SELECT amount FROM ${await (await snapshots()).open(position)}.tally WHERE stream_id = 'tally-g'`,
    );
    expect(rows).toEqual([{ amount: '2' }]);
    const { rows: leftovers } = await pool.query(
      "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'tally\\_\\_%'",
    );
    expect(leftovers).toEqual([{ tablename: 'tally__history' }]);
  });

  it('answers the read although a build listener fails, and logs the failure', async () => {
    const position = await record({ 'tally-l': 5 });
    await record({ 'tally-l': 6 });
    const logged: string[] = [];
    const known = new KnownAtSnapshots(dataSource, store, [tally, outbox], {
      waitMs: 10_000,
      log: (message) => logged.push(message),
    });
    const seen: number[] = [];
    known.onBuild(() => {
      throw new Error('the listener broke');
    });
    known.onBuild(({ position }) => seen.push(position));

    await expect(known.open(position)).resolves.toBe(`known_at_${position}`);
    expect(seen).toEqual([position]);
    expect(logged).toEqual([expect.stringContaining('the listener broke')]);
  });

  it('refuses a position from before the history began', async () => {
    const position = await record({ 'tally-f': 1 });
    await pool.query(
      "UPDATE projection_checkpoints SET history_from = $1 WHERE projection = 'tally'",
      [position + 1],
    );
    try {
      await expect((await snapshots()).open(position)).rejects.toBeInstanceOf(KnownAtBeforeHistory);
    } finally {
      await pool.query(
        "UPDATE projection_checkpoints SET history_from = 0 WHERE projection = 'tally'",
      );
    }
  });
});
