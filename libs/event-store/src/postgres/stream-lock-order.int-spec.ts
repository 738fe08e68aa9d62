import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDatabase } from '#database';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { newEvent } from '../testing/event-store.contract.js';
import { eventStoreMigrations } from './event-store.migrations.js';
import { PostgresEventStore } from './postgres-event-store.js';

/**
 * Under en-US, 'a' sorts before 'B'; in code-point order (JavaScript's, and COLLATE "C"), 'B'
 * (66) comes before 'a' (97). Every path that locks several streams must use one order.
 */
describe('PostgreSQL stream locks on a database with an ICU en-US collation', () => {
  let database: TestDatabase;
  const pools: pg.Pool[] = [];
  const openPool = (config: pg.PoolConfig = {}) => {
    const pool = new pg.Pool({ connectionString: database.url, ...config });
    pools.push(pool);
    return pool;
  };

  beforeAll(async () => {
    database = await createTestDatabase({ icuLocale: 'en-US' });
    await migrateDatabase(database.url, eventStoreMigrations);
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await database.drop();
  });

  it('sorts text by the ICU collation (else this test proves nothing)', async () => {
    const { rows } = await openPool().query(`SELECT 'a' < 'B' AS icu, 'a' < 'B' COLLATE "C" AS c`);
    expect(rows[0]).toEqual({ icu: true, c: false });
  });

  it('lets a grouped and a single append to the same streams both land, without deadlock', async () => {
    const unit = randomUUID();
    const [lower, upper] = [`unit-${unit}-a`, `unit-${unit}-B`];
    const admin = openPool();
    // The single-append store looks for a deadlock first, so it, not the grouped store (which
    // would retry alone and hide it), is the one a deadlock fails.
    const single = new PostgresEventStore(openPool({ options: '-c deadlock_timeout=1000' }), {
      groupCommits: false,
    });
    const grouped = new PostgresEventStore(openPool({ options: '-c deadlock_timeout=30000' }));
    const writes = () =>
      [lower, upper].map((streamId) => ({
        streamId,
        events: [newEvent()],
        expectedRevision: 'any' as const,
      }));
    const waitingLocks = async (count: number) => {
      for (let waited = 0; waited < 10_000; waited += 10) {
        const { rows } = await admin.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted',
        );
        if (rows[0].n >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`${count} lock waits never came`);
    };

    await grouped.appendToStreams(writes());
    // Another transaction holds the stream both orders disagree on, so both appends queue on it.
    const holder = await admin.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM event_streams WHERE stream_id = $1 FOR UPDATE', [lower]);
      const groupedAppend = grouped.appendToStreams(writes());
      await waitingLocks(1);
      const singleAppend = single.appendToStreams(writes());
      await waitingLocks(2);
      await holder.query('COMMIT');
      const outcomes = await Promise.allSettled([groupedAppend, singleAppend]);
      expect(
        outcomes.map((outcome) =>
          outcome.status === 'fulfilled' ? 'landed' : String(outcome.reason),
        ),
      ).toEqual(['landed', 'landed']);
    } finally {
      holder.release();
    }
    for (const streamId of [lower, upper])
      expect((await grouped.readStream(streamId)).map((e) => e.revision)).toEqual([0, 1, 2]);
  });
});
