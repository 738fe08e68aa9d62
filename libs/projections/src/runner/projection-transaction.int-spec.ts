import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { projectionTransaction, transactionOnDemand } from './projection-transaction.js';

describe('a projection transaction', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    // One connection: a connection returned to the pool is the next one used.
    database = await projectionTestDatabase({ max: 1 });
    dataSource = database.dataSource;
  });

  afterAll(() => database.drop());

  it('destroys its connection when the ROLLBACK after a failure fails, and says so', async () => {
    const create = dataSource.createQueryRunner.bind(dataSource);
    dataSource.createQueryRunner = (...args) => {
      const tx = create(...args);
      // The transaction stays open on the connection, as after a ROLLBACK that never ran.
      tx.rollbackTransaction = () => Promise.reject(new Error('connection lost mid-ROLLBACK'));
      return tx;
    };
    const logged: string[] = [];
    let broken = 0;
    try {
      await expect(
        projectionTransaction(
          dataSource,
          async ({ query }) => {
            [{ pid: broken }] = await query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
            throw new Error('the batch failed');
          },
          (message) => logged.push(message),
        ),
      ).rejects.toThrow('the batch failed');
    } finally {
      dataSource.createQueryRunner = create;
    }

    const [{ pid }] = await dataSource.query('SELECT pg_backend_pid() AS pid');
    expect(pid).not.toBe(broken);
    expect(logged).toEqual([expect.stringContaining('connection lost mid-ROLLBACK')]);
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
