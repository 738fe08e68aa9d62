import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, QueryRunner } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { transactionOnDemand } from './projection-transaction.js';

type OnDemandOptions = NonNullable<Parameters<typeof transactionOnDemand>[2]>;

describe('a projection transaction', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    // One connection: a connection returned to the pool is the next one used.
    database = await projectionTestDatabase({ max: 1 });
    dataSource = database.dataSource;
  });

  afterAll(() => database.drop());

  /** Breaks the ROLLBACK of the transactions begun meanwhile: it fails, as on a lost connection. */
  const lost = () => Promise.reject(new Error('connection lost mid-ROLLBACK'));
  const breakings: [string, (tx: QueryRunner) => void, OnDemandOptions][] = [
    [
      'TypeORM began',
      // The transaction stays open on the connection, as after a ROLLBACK that never ran.
      (tx) => (tx.rollbackTransaction = lost),
      {},
    ],
    [
      'it began itself, with its opening',
      (tx) => {
        const query = tx.query.bind(tx);
        tx.query = ((sql: string, ...rest: unknown[]) =>
          /^ROLLBACK/.test(sql)
            ? lost()
            : (query as (...a: unknown[]) => Promise<unknown>)(sql, ...rest)) as typeof tx.query;
      },
      { opening: { sql: 'SELECT 1', check: () => undefined } },
    ],
  ];

  it.each(breakings)(
    'destroys its connection when the ROLLBACK after a failure fails, and says so (a transaction %s)',
    async (_, breakRollback, options) => {
      const create = dataSource.createQueryRunner.bind(dataSource);
      dataSource.createQueryRunner = (...args) => {
        const tx = create(...args);
        breakRollback(tx);
        return tx;
      };
      const logged: string[] = [];
      let broken = 0;
      try {
        await expect(
          transactionOnDemand(
            dataSource,
            async ({ query }) => {
              [{ pid: broken }] = await query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
              throw new Error('the batch failed');
            },
            { ...options, log: (message) => logged.push(message) },
          ),
        ).rejects.toThrow('the batch failed');
      } finally {
        dataSource.createQueryRunner = create;
      }

      const [{ pid }] = await dataSource.query('SELECT pg_backend_pid() AS pid');
      expect(pid).not.toBe(broken);
      expect(logged).toEqual([expect.stringContaining('connection lost mid-ROLLBACK')]);
    },
  );

  it('begins with its opening and commits with its last statement, a round trip each', async () => {
    await dataSource.query('CREATE TABLE IF NOT EXISTS opened (n int)');
    const seen: unknown[] = [];
    const answer = await transactionOnDemand(
      dataSource,
      async (session) => {
        await session.query('INSERT INTO opened VALUES (1)');
        return session.commitWith('INSERT INTO opened VALUES (2) RETURNING n');
      },
      { opening: { sql: "SELECT 'opened' AS state", check: (rows) => seen.push(...rows) } },
    );

    expect({ seen, answer }).toEqual({ seen: [{ state: 'opened' }], answer: [{ n: 2 }] });
    expect(await dataSource.query('SELECT n FROM opened ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);
    // Committed: the connection, back in the pool, is in no transaction.
    expect(await dataSource.query('SELECT now() = statement_timestamp() AS outside')).toEqual([
      { outside: true },
    ]);
  });

  it('returns the connection of a transaction still beginning when its work throws', async () => {
    await expect(
      transactionOnDemand(dataSource, async (session) => {
        void session.query('SELECT 1').catch(() => undefined);
        throw new Error('thrown before its query was answered');
      }),
    ).rejects.toThrow('thrown before its query was answered');
    // The pool holds one connection: had it leaked, this would wait for ever.
    const answered = await Promise.race([
      dataSource.query('SELECT 1 AS one'),
      new Promise((resolve) => setTimeout(() => resolve('no connection in 5 s'), 5_000)),
    ]);
    expect(answered).toEqual([{ one: 1 }]);
  });
});
