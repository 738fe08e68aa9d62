import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { survivingPoolClients } from './pool-clients.js';

describe('a TypeORM pool with surviving clients', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource({
      type: 'postgres',
      url: database.url,
      extra: survivingPoolClients,
    }).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('outlives a backend terminated while its client is out of the pool and idle', async () => {
    // A client handed out by the pool has neither the pool's listener nor TypeORM's.
    const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
    const client = await pool.connect();
    const {
      rows: [{ pid }],
    } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const ended = new Promise((resolve) => client.once('end', resolve));
    await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
    await ended;
    // Unguarded, the terminated backend's message had thrown from the socket's callback.
    await expect(client.query('SELECT 1')).rejects.toThrow(/not queryable|terminated/);
    client.release(new Error('terminated'));
    expect(await dataSource.query('SELECT 1 AS answer')).toEqual([{ answer: 1 }]);
  });
});
