import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDatabase } from '#database';
import { eventStoreMigrations, PostgresEventStore } from '#event-store';
import { newEvent } from '#event-store/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import type { Projection } from '../runner/projection.js';
import { CreateProjectionCheckpoints1763900000100 } from '../runner/projection-checkpoints.migrations.js';
import { CreateKnownAtSnapshots1763900003000 } from './known-at.migrations.js';
import { KnownAtSnapshots } from './known-at-snapshots.js';

describe('known-at snapshots', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  const dataSources: DataSource[] = [];
  let applied = 0;

  /** Sums amounts per stream; counts every event it is given, in any process. */
  const tally: Projection = {
    name: 'tally',
    tables: ['tally'],
    async apply(events, context) {
      applied += events.length;
      await context.query(
        `INSERT INTO ${context.table('tally')} (stream_id, amount)
         SELECT s, sum(a) FROM unnest($1::text[], $2::bigint[]) AS e (s, a) GROUP BY s
         ON CONFLICT (stream_id) DO UPDATE SET amount = tally.amount + excluded.amount`,
        [events.map((e) => e.streamId), events.map((e) => (e.data as { amount: number }).amount)],
      );
    },
  };

  const snapshots = async () => {
    const dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    dataSources.push(dataSource);
    return new KnownAtSnapshots(dataSource, store, [tally], { waitMs: 10_000 });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, [
      ...eventStoreMigrations,
      CreateProjectionCheckpoints1763900000100,
      CreateKnownAtSnapshots1763900003000,
    ]);
    pool = new pg.Pool({ connectionString: database.url });
    await pool.query('CREATE TABLE tally (stream_id text PRIMARY KEY, amount bigint NOT NULL)');
    store = new PostgresEventStore(pool);
  });

  afterAll(async () => {
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await pool.end();
    await database.drop();
  });

  it('builds a point once when two processes ask for it together, and both read it', async () => {
    const amounts = [3, 4, 5];
    for (const amount of amounts) {
      await store.append('tally-a', [newEvent({ data: { amount } })], { expectedRevision: 'any' });
    }
    const position = await store.headPosition();
    await store.append('tally-a', [newEvent({ data: { amount: 100 } })], {
      expectedRevision: 'any',
    });

    const [first, second] = await Promise.all([
      (await snapshots()).open(position),
      (await snapshots()).open(position),
    ]);
    expect(first).toBe(second);
    expect(first).toBe(`known_at_${position}, public`);
    expect(applied).toBe(amounts.length);
    const { rows } = await pool.query(`SELECT amount FROM known_at_${position}.tally`);
    expect(rows).toEqual([{ amount: '12' }]);
  });
});
