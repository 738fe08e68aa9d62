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
import { ReadModelReader } from '../queries/read-model-reader.js';
import { CreateKnownAtSnapshots1763900003000 } from './known-at.migrations.js';
import { CreateKnownAtRetention1763900006310 } from './history-index.migrations.js';
import { CreateKnownAtParts1763900006520 } from './known-at.migrations.js';
import {
  type KnownAtBuild,
  KnownAtBeforeHistory,
  KnownAtSnapshots,
  type KnownAtSnapshotsOptions,
  partSchema,
} from './known-at-snapshots.js';

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

  /**
   * Multiplies each amount by the `lookup-base` row's, which a batch may not change: an
   * overlay of the batch's changed rows lacks it, so its figures are wrong, and its check
   * must find it out.
   */
  const lookup: Projection = {
    name: 'lookup',
    tables: ['lookup'],
    async apply(events, context) {
      for (const event of events) {
        const { amount } = event.data as { amount: number };
        await context.query(
          event.streamId === 'lookup-base'
            ? `INSERT INTO ${context.table('lookup')} AS t (stream_id, amount) VALUES ($1, $2)
               ON CONFLICT (stream_id) DO UPDATE SET amount = excluded.amount`
            : `INSERT INTO ${context.table('lookup')} AS t (stream_id, amount)
               SELECT $1, $2 * coalesce((SELECT amount FROM ${context.table('lookup')}
                                          WHERE stream_id = 'lookup-base'), 1)
               ON CONFLICT (stream_id) DO UPDATE SET amount = t.amount + excluded.amount`,
          [event.streamId, amount],
        );
      }
    },
  };

  /**
   * A row per `fleeting-*` stream while its last amount is not 0; an amount of 0 deletes it,
   * so a key can come and go inside one batch.
   */
  const fleeting: Projection = {
    name: 'fleeting',
    tables: ['fleeting'],
    async apply(events, context) {
      for (const event of events) {
        if (!event.streamId.startsWith('fleeting-')) continue;
        const { amount } = event.data as { amount: number };
        if (amount === 0) {
          await context.query(`DELETE FROM ${context.table('fleeting')} WHERE stream_id = $1`, [
            event.streamId,
          ]);
        } else {
          await context.query(
            `INSERT INTO ${context.table('fleeting')} (stream_id, amount) VALUES ($1, $2)
             ON CONFLICT (stream_id) DO UPDATE SET amount = excluded.amount`,
            [event.streamId, amount],
          );
        }
      }
    },
  };

  const projections = [tally, outbox, lookup, fleeting];
  const made: KnownAtSnapshots[] = [];

  const snapshots = async (options: KnownAtSnapshotsOptions = {}) => {
    const dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    dataSources.push(dataSource);
    const known = new KnownAtSnapshots(dataSource, store, projections, {
      waitMs: 10_000,
      ...options,
    });
    made.push(known);
    return known;
  };

  const readIn = async (searchPath: string, sql: string) =>
    dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL search_path TO ${searchPath}`);
      return manager.query(sql);
    });

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
      CreateKnownAtParts1763900006520,
    ]);
    pool = new pg.Pool({ connectionString: database.url });
    store = new PostgresEventStore(pool, { pollIntervalMs: 10 });
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    await dataSource.query(
      'CREATE TABLE tally (stream_id text PRIMARY KEY, amount bigint NOT NULL)',
    );
    await createRowHistory(dataSource, 'tally');
    await dataSource.query('CREATE TABLE outbox_effects (events int NOT NULL)');
    await dataSource.query(
      'CREATE TABLE lookup (stream_id text PRIMARY KEY, amount bigint NOT NULL)',
    );
    await createRowHistory(dataSource, 'lookup');
    await dataSource.query(
      'CREATE TABLE fleeting (stream_id text PRIMARY KEY, amount bigint NOT NULL)',
    );
    await createRowHistory(dataSource, 'fleeting');
    runner = new ProjectionRunner(store, dataSource, projections, { batchSize: 100 });
    await runner.start();
  });

  afterAll(async () => {
    await runner.stop();
    await Promise.all(made.map((known) => known.onModuleDestroy()));
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

    const searchPath = await (await snapshots()).open(then, ['tally']);

    expect(applied).toBe(replayed);
    const rows = await readIn(searchPath, 'SELECT stream_id, amount FROM tally ORDER BY stream_id');
    expect(rows).toEqual([
      { stream_id: 'tally-a', amount: '7' },
      { stream_id: 'tally-b', amount: '1' },
    ]);
  });

  it('makes a point once when two processes ask for it together, and both read it', async () => {
    const position = await record({ 'tally-d': 5 });
    await record({ 'tally-d': 100 });

    const [one, other] = [
      await snapshots({ materialize: false }),
      await snapshots({ materialize: false }),
    ];
    const builds: KnownAtBuild[] = [];
    for (const known of [one, other]) known.onBuild((build) => builds.push(build));
    const [first, second] = await Promise.all([
      one.open(position, ['tally']),
      other.open(position, ['tally']),
    ]);
    for (const searchPath of [first, second]) {
      expect(
        await readIn(searchPath, "SELECT amount FROM tally WHERE stream_id = 'tally-d'"),
      ).toEqual([{ amount: '5' }]);
    }
    expect(builds.filter((build) => build.kind !== 'tables')).toEqual([
      expect.objectContaining({ position, projection: 'tally', kind: 'views' }),
    ]);
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
    runner = new ProjectionRunner(store, dataSource, projections, { batchSize: 100 });
    await runner.start();
    await runner.caughtUp(await store.headPosition());
    const effects = await outboxEffects();

    const searchPath = await (await snapshots()).open(inside, ['tally', 'outbox']);

    expect(await outboxEffects()).toBe(effects);
    const { rows } = await pool.query(
      `SELECT amount FROM ${searchPath.split(',')[0]}.tally WHERE stream_id = 'tally-h'`,
    );
    expect(rows).toEqual([{ amount: '6' }]);
  });

  it('reads, inside a batch, a row that the batch inserted and then deleted', async () => {
    await runner.stop();
    const append = (amount: number) =>
      store.appendToStreams([
        {
          streamId: 'fleeting-x',
          events: [newEvent({ data: { amount } })],
          expectedRevision: 'any',
        },
      ]);
    await append(5);
    const inside = await store.headPosition();
    await append(0);
    runner = new ProjectionRunner(store, dataSource, projections, { batchSize: 100 });
    await runner.start();
    await runner.caughtUp(await store.headPosition());
    const known = await snapshots({ materialize: false });
    const builds: KnownAtBuild[] = [];
    known.onBuild((build) => builds.push(build));

    const searchPath = await known.open(inside, ['fleeting']);

    // The batch's only trace of the key is its empty version: the overlay must replay it.
    expect(await readIn(searchPath, 'SELECT stream_id, amount FROM fleeting')).toEqual([
      { stream_id: 'fleeting-x', amount: '5' },
    ]);
    expect(builds).toEqual([
      expect.objectContaining({ position: inside, projection: 'fleeting', kind: 'replay' }),
    ]);
  });

  it("never answers with today's rows when the snapshot's schema is gone before the read", async () => {
    const position = await record({ 'tally-e': 1 });
    await record({ 'tally-e': 1000 });
    const searchPath = await (await snapshots({ materialize: false })).open(position, ['tally']);
    await pool.query(`DROP SCHEMA ${searchPath} CASCADE`);

    const read = dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL search_path TO ${searchPath}`);
      return manager.query(`SELECT amount FROM tally WHERE stream_id = 'tally-e'`);
    });

    await expect(read).rejects.toMatchObject({ code: '42P01' });
    const again = await (await snapshots()).open(position, ['tally']);
    expect(await readIn(again, "SELECT amount FROM tally WHERE stream_id = 'tally-e'")).toEqual([
      { amount: '1' },
    ]);
  });

  it('reads a history the rebuild made again from the log, from its start', async () => {
    const position = await record({ 'tally-g': 2 });
    await record({ 'tally-g': 30 });
    // Its views are over the tables the rebuild replaces: they must be made again after.
    await (await snapshots({ materialize: false })).open(position, ['tally']);
    await pool.query(`UPDATE tally__history SET amount = -1`);
    await pool.query(
      "UPDATE projection_checkpoints SET history_from = $1 WHERE projection = 'tally'",
      [position + 1],
    );

    await runner.rebuild('tally');

    const again = await (await snapshots({ materialize: false })).open(position, ['tally']);
    expect(await readIn(again, "SELECT amount FROM tally WHERE stream_id = 'tally-g'")).toEqual([
      { amount: '2' },
    ]);
    const { rows: leftovers } = await pool.query(
      "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'tally\\_\\_%'",
    );
    expect(leftovers).toEqual([{ tablename: 'tally__history' }]);
  });

  it('answers the read although a build listener fails, and logs the failure', async () => {
    const position = await record({ 'tally-l': 5 });
    await record({ 'tally-l': 6 });
    const logged: string[] = [];
    const known = await snapshots({ materialize: false, log: (message) => logged.push(message) });
    const seen: number[] = [];
    known.onBuild(() => {
      throw new Error('the listener broke');
    });
    known.onBuild(({ position }) => seen.push(position));

    await expect(known.open(position, ['tally'])).resolves.toBe(
      partSchema(position, 'tally', 'made'),
    );
    expect(seen).toEqual([position]);
    expect(logged).toEqual([expect.stringContaining('the listener broke')]);
  });

  /** The record time of the event at `position`, and its read as of then. */
  const recordedAt = async (position: number) =>
    (await store.readAll({ after: position - 1, maxCount: 1 }))[0].recordedAt;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

  it("makes only the parts a read names; a query of another projection's table reads every part", async () => {
    const position = await record({ 'tally-n': 3, 'lookup-n': 4 });
    await pause();
    await record({ 'tally-n': 30, 'lookup-n': 40 });
    const known = await snapshots({ materialize: false });
    const parts = async () =>
      (
        await pool.query(
          'SELECT projection FROM known_at_parts WHERE position = $1 ORDER BY projection',
          [position],
        )
      ).rows.map((row) => row.projection);

    const tallyOnly = await known.open(position, ['tally']);
    expect(await parts()).toEqual(['tally']);
    await expect(
      readIn(tallyOnly, "SELECT amount FROM lookup WHERE stream_id = 'lookup-n'"),
    ).rejects.toMatchObject({ code: '42P01' });

    const reader = new ReadModelReader(dataSource, store, known);
    const answer = await reader.read(
      ['tally'],
      { knownAt: await recordedAt(position) },
      (manager) =>
        manager.query(
          `SELECT (SELECT amount FROM tally WHERE stream_id = 'tally-n') AS tally,
                (SELECT amount FROM lookup WHERE stream_id = 'lookup-n') AS lookup`,
        ),
    );
    expect(answer).toMatchObject({ position, data: [{ tally: '3', lookup: '4' }] });
    expect(await parts()).toEqual(['fleeting', 'lookup', 'tally']);
  });

  it('reads again when a part it opened is dropped before the read', async () => {
    const position = await record({ 'tally-q': 4 });
    await pause();
    await record({ 'tally-q': 40 });
    const known = await snapshots({ materialize: false });
    // Dropped between open and the read, as an eviction or a switch to tables may do.
    let dropped = 0;
    const racing: KnownAtSnapshots = Object.create(known);
    racing.open = async (at, names) => {
      const searchPath = await known.open(at, names);
      if (dropped++ === 0) await pool.query(`DROP SCHEMA ${searchPath} CASCADE`);
      return searchPath;
    };
    const reader = new ReadModelReader(dataSource, store, racing);

    const answer = await reader.read(
      ['tally'],
      { knownAt: await recordedAt(position) },
      (manager) => manager.query("SELECT amount FROM tally WHERE stream_id = 'tally-q'"),
    );

    expect(answer).toMatchObject({ position, data: [{ amount: '4' }] });
    expect(dropped).toBe(2);
  });

  it('keeps the position a time resolved to only once later events show it final, and counts the lag on', async () => {
    const known = await snapshots({ materialize: false });
    const reader = new ReadModelReader(dataSource, store, known);
    const read = (knownAt: Date) =>
      reader.read(['tally'], { knownAt }, (manager) =>
        manager.query("SELECT amount FROM tally WHERE stream_id = 'tally-k'"),
      );
    const first = await record({ 'tally-k': 1 });
    const soon = new Date(Date.now() + 60_000);
    expect(await read(soon)).toMatchObject({ position: first, lag: 0, data: [{ amount: '1' }] });

    // Recorded before that time: the time now resolves further on.
    await pause();
    const second = await record({ 'tally-k': 10 });
    expect(await read(soon)).toMatchObject({ position: second, lag: 0, data: [{ amount: '11' }] });

    // A time in the past: final, and its lag grows with every event after it.
    const past = await recordedAt(second);
    await pause();
    const third = await record({ 'tally-k': 100 });
    expect(await read(past)).toMatchObject({ position: second, lag: third - second });
    await record({ 'tally-n': 1, 'tally-o': 1 });
    expect(await read(past)).toMatchObject({ position: second, lag: third - second + 2 });
  });

  it('copies a part into indexed tables after its first read, and points later reads at them', async () => {
    const position = await record({ 'tally-m': 8 });
    await record({ 'tally-m': 80 });
    const logged: string[] = [];
    const known = await snapshots({ copyAtOnceRows: 0, log: (message) => logged.push(message) });
    const builds: KnownAtBuild[] = [];
    known.onBuild((build) => builds.push(build));

    const first = await known.open(position, ['tally']);
    expect(first).toBe(partSchema(position, 'tally', 'made'));
    await known.settled();
    const later = await known.open(position, ['tally']);

    const tables = partSchema(position, 'tally', 'tables');
    expect(logged).toEqual([]);
    expect(later).toBe(tables);
    expect(builds.map((build) => build.kind)).toEqual(['views', 'tables']);
    const { rows } = await pool.query(
      `SELECT c.relkind, (SELECT count(*)::int FROM pg_index x WHERE x.indrelid = c.oid) AS indexes,
              to_regnamespace($2) IS NULL AS views_dropped
         FROM pg_class c WHERE c.oid = to_regclass($1)`,
      [`${tables}.tally`, first],
    );
    expect(rows).toEqual([{ relkind: 'r', indexes: 1, views_dropped: true }]);
    expect(await readIn(later, "SELECT amount FROM tally WHERE stream_id = 'tally-m'")).toEqual([
      { amount: '8' },
    ]);
    // A read that opened the views before the switch finds them gone, and opens again.
    await expect(
      readIn(first, "SELECT amount FROM tally WHERE stream_id = 'tally-m'"),
    ).rejects.toMatchObject({ code: '42P01' });
    expect(await known.intact(first)).toBe(false);
  });

  it('copies a small part into indexed tables while making it, before its first read', async () => {
    const position = await record({ 'tally-s': 6 });
    await record({ 'tally-s': 60 });
    const known = await snapshots({ copyAtOnceRows: 1_000 });
    const builds: KnownAtBuild[] = [];
    known.onBuild((build) => builds.push(build));

    const searchPath = await known.open(position, ['tally']);

    expect(searchPath).toBe(partSchema(position, 'tally', 'tables'));
    expect(builds).toEqual([expect.objectContaining({ kind: 'views', inTables: true })]);
    const { rows } = await pool.query(
      `SELECT c.relkind, to_regnamespace($2) IS NULL AS views_dropped
         FROM pg_class c WHERE c.oid = to_regclass($1)`,
      [`${searchPath}.tally`, partSchema(position, 'tally', 'made')],
    );
    expect(rows).toEqual([{ relkind: 'r', views_dropped: true }]);
    expect(
      await readIn(searchPath, "SELECT amount FROM tally WHERE stream_id = 'tally-s'"),
    ).toEqual([{ amount: '6' }]);
    await known.settled();
    expect(builds).toHaveLength(1);
  });

  it('checks an overlay off the read path and, when it differs from its batch, makes the part again by copying', async () => {
    await record({ 'lookup-base': 10 });
    // Two appends the runner applies in one batch; the base row is not among its changes.
    await runner.stop();
    const append = (amount: number) =>
      store.appendToStreams([
        { streamId: 'lookup-x', events: [newEvent({ data: { amount } })], expectedRevision: 'any' },
      ]);
    await append(1);
    const inside = await store.headPosition();
    await pause();
    await append(2);
    runner = new ProjectionRunner(store, dataSource, projections, { batchSize: 100 });
    await runner.start();
    await runner.caughtUp(await store.headPosition());
    const logged: string[] = [];
    const known = await snapshots({ log: (message) => logged.push(message) });
    const builds: KnownAtBuild[] = [];
    known.onBuild((build) => builds.push(build));

    // Small: copied into tables while made, then checked in the background.
    const first = await known.open(inside, ['lookup']);
    expect(first).toBe(partSchema(inside, 'lookup', 'tables'));
    await known.settled();
    const repaired = await known.open(inside, ['lookup']);

    expect(repaired).toBe(partSchema(inside, 'lookup', 'copied'));
    expect(
      await readIn(repaired, "SELECT amount FROM lookup WHERE stream_id = 'lookup-x'"),
    ).toEqual([{ amount: '10' }]);
    expect(builds).toEqual([
      expect.objectContaining({ projection: 'lookup', kind: 'replay', inTables: true }),
      expect.objectContaining({ projection: 'lookup', kind: 'copy', repaired: true }),
    ]);
    expect(logged).toEqual([expect.stringContaining('differed from its batch')]);
  });

  it('evicts the least recently read snapshot whole, every part and schema of it', async () => {
    const older = await record({ 'tally-v': 1, 'lookup-v': 1 });
    const newer = await record({ 'tally-v': 2 });
    await record({ 'tally-v': 3 });
    const known = await snapshots({ keep: 1, copyAtOnceRows: 0 });
    await known.open(older, ['tally']);
    await known.open(older, ['lookup']);
    await known.settled();
    const schemasOf = async (position: number) =>
      (
        await pool.query(
          `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1) ORDER BY nspname`,
          [`known_at_${position}_`],
        )
      ).rows.map((row) => row.nspname);
    expect(await schemasOf(older)).toEqual([
      partSchema(older, 'lookup', 'tables'),
      partSchema(older, 'tally', 'tables'),
    ]);

    await known.open(newer, ['tally']);

    expect(await schemasOf(older)).toEqual([]);
    const { rows } = await pool.query(
      'SELECT position FROM known_at_parts WHERE position IN ($1, $2) ORDER BY position',
      [older, newer],
    );
    expect(rows).toEqual([{ position: String(newer) }]);
  });

  it('refuses a position from before the history began', async () => {
    const position = await record({ 'tally-f': 1 });
    await pool.query(
      "UPDATE projection_checkpoints SET history_from = $1 WHERE projection = 'tally'",
      [position + 1],
    );
    try {
      await expect((await snapshots()).open(position, ['tally'])).rejects.toBeInstanceOf(
        KnownAtBeforeHistory,
      );
    } finally {
      await pool.query(
        "UPDATE projection_checkpoints SET history_from = 0 WHERE projection = 'tally'",
      );
    }
  });
});
