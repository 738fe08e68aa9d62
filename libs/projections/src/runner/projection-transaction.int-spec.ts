import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { projectionTransaction } from './projection-transaction.js';

describe('a projection transaction', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection: a connection returned to the pool is the next one used.
    dataSource = await new DataSource({
      type: 'postgres',
      url: database.url,
      extra: { max: 1 },
    }).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

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
});
