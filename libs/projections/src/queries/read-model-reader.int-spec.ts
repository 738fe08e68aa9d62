import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { newEvent } from '#event-store/testing';
import { type DataSource } from 'typeorm';
import type { KnownAtSnapshots } from '../known-at/known-at-snapshots.js';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { ReadModelReader } from './read-model-reader.js';
import { type Read, read, readTogether } from './statements.js';

describe('ReadModelReader and reads together', () => {
  let database: ProjectionTestDatabase;
  /** One connection: a read that left it in a transaction would break the next read. */
  let dataSource: DataSource;
  let reader: ReadModelReader;

  const checkpoint = (projection: string, position: number) =>
    database.dataSource.query(
      `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2)
       ON CONFLICT (projection) DO UPDATE SET position = excluded.position`,
      [projection, position],
    );

  beforeAll(async () => {
    database = await projectionTestDatabase({ eventStore: true, runnerTables: true });
    dataSource = await database.openDataSource({ max: 1 });
    // Reads of the live read models never open a snapshot of the past.
    reader = new ReadModelReader(
      dataSource,
      database.store,
      undefined as unknown as KnownAtSnapshots,
    );
    await database.dataSource.query(
      `CREATE TABLE tally (name text PRIMARY KEY, amount bigint NOT NULL, ratio numeric, day date)`,
    );
  });
  afterAll(() => database.drop());
  beforeEach(async () => {
    await database.dataSource.query('TRUNCATE tally, projection_checkpoints');
  });

  it('reads the checkpoints and the rows on one snapshot, whatever commits meanwhile', async () => {
    await database.dataSource.query(`INSERT INTO tally VALUES ('a', 1, NULL, NULL)`);
    await checkpoint('ones', 5);
    await checkpoint("o'twos", 7);

    const answer = await reader.read(['ones', "o'twos"], {}, async (manager) => {
      await database.dataSource.query(`UPDATE tally SET amount = 2`);
      await checkpoint('ones', 9);
      return manager.query('SELECT amount FROM tally');
    });

    expect(answer).toMatchObject({ position: 5, data: [{ amount: '1' }] });
    expect(
      await reader.read(['ones', "o'twos"], {}, (m) => m.query('SELECT amount FROM tally')),
    ).toMatchObject({ position: 7, data: [{ amount: '2' }] });
  });

  it('reads position 0 while a read model has no checkpoint', async () => {
    await checkpoint('ones', 5);

    expect(await reader.read(['ones', 'none yet'], {}, async () => 'x')).toMatchObject({
      position: 0,
      data: 'x',
    });
  });

  it('counts the events of the log past the checkpoints', async () => {
    await database.store.appendToStreams([
      {
        streamId: 'lagging-1',
        events: [newEvent(), newEvent(), newEvent()],
        expectedRevision: 'any',
      },
    ]);
    const head = await database.store.headPosition();
    await checkpoint('ones', head - 2);

    expect(await reader.read(['ones'], {}, async () => null)).toMatchObject({
      position: head - 2,
      head,
      lag: 2,
    });
    await checkpoint('ones', head);
    expect(await reader.read(['ones'], {}, async () => null)).toMatchObject({ head, lag: 0 });
  });

  it('counts the events recorded after its snapshot, up to a head read after it', async () => {
    const before = await database.store.headPosition();
    await checkpoint('ones', before);
    // The head is read beside the BEGIN: here, once the read's snapshot is taken, and after
    // one more event is recorded.
    const late: typeof database.store = Object.create(database.store);
    late.headPosition = async () => {
      for (;;) {
        const { rows } = await database.pool.query(
          `SELECT 1 FROM pg_stat_activity
            WHERE datname = current_database() AND state = 'idle in transaction'`,
        );
        if (rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await database.store.appendToStreams([
        { streamId: 'lagging-2', events: [newEvent()], expectedRevision: 'any' },
      ]);
      return database.store.headPosition();
    };
    const reading = new ReadModelReader(dataSource, late, undefined as unknown as KnownAtSnapshots);

    expect(await reading.read(['ones'], {}, async () => null)).toMatchObject({
      position: before,
      head: before + 1,
      lag: 1,
    });
  });

  it('rolls back a read that fails and gives its connection back clean', async () => {
    await checkpoint('ones', 5);

    await expect(
      reader.read(['ones'], {}, (manager) => manager.query('SELECT * FROM no_such_table')),
    ).rejects.toMatchObject({ code: '42P01' });
    await expect(
      reader.read(['ones'], {}, () => Promise.reject(new Error('the query gave up'))),
    ).rejects.toThrow('the query gave up');

    // The data source's only connection: no transaction left open, aborted or not.
    expect(await reader.read(['ones'], {}, (m) => m.query('SELECT 1 AS one'))).toMatchObject({
      position: 5,
      data: [{ one: 1 }],
    });
    expect(await dataSource.query('SELECT now() = statement_timestamp() AS outside')).toEqual([
      { outside: true },
    ]);
  });

  describe('readTogether', () => {
    const amounts: Read<Map<string, number>> = {
      sql: 'SELECT name, amount, ratio, day::text AS day FROM tally WHERE amount >= $1 ORDER BY name DESC',
      params: [2],
      answer: (rows: { name: string; amount: string | number }[]) =>
        new Map(rows.map((row) => [row.name, Number(row.amount)])),
    };
    const names: Read<string[]> = {
      sql: 'SELECT name FROM tally WHERE name = ANY($1) AND amount < $2 ORDER BY name',
      params: [['a', 'b', 'c', 'd'], 100],
      answer: (rows: { name: string }[]) => rows.map((row) => row.name),
    };
    const nothing: Read<string> = {
      sql: null,
      params: [],
      answer: (rows) => `${rows.length} rows`,
    };

    beforeEach(async () => {
      await database.dataSource.query(
        `INSERT INTO tally VALUES ('a', 1, 0.25, '2025-01-31'), ('b', 2, NULL, NULL),
                                  ('c', 30000000000, 1.5, '2025-12-31'), ('d', 4, 2, NULL)`,
      );
    });

    it('answers what each read answers alone, in one statement', async () => {
      const alone = [await read(dataSource, amounts), await read(dataSource, names)];
      const sent: string[] = [];
      const counting = {
        query: (sql: string, params?: unknown[]) => {
          sent.push(sql);
          return dataSource.query(sql, params);
        },
      };

      const together = await readTogether(counting, [amounts, nothing, names]);

      expect(together).toEqual([alone[0], '0 rows', alone[1]]);
      expect([...together[0].keys()]).toEqual(['d', 'c', 'b']);
      expect(sent).toHaveLength(1);
    });

    it('gives rows as JSON writes them: every number a number, casts for the rest', async () => {
      const [rows] = await readTogether(dataSource, [
        { ...amounts, answer: (rows: unknown[]) => rows },
        names,
      ]);

      expect(rows).toEqual([
        { name: 'd', amount: 4, ratio: 2, day: null },
        { name: 'c', amount: 30000000000, ratio: 1.5, day: '2025-12-31' },
        { name: 'b', amount: 2, ratio: null, day: null },
      ]);
    });

    it('answers a read that finds nothing with no rows', async () => {
      const none = { ...names, params: [['z'], 100] };

      expect(await readTogether(dataSource, [amounts, none])).toEqual([
        new Map([
          ['d', 4],
          ['c', 30000000000],
          ['b', 2],
        ]),
        [],
      ]);
    });
  });
});
