import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDatabase } from '#database';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { newEvent } from '../testing/event-store.contract.js';
import type { RecordedEvent } from '../event-store.js';
import { eventStoreMigrations } from './event-store.migrations.js';
import { PostgresEventStore } from './postgres-event-store.js';

const WRITER_PROCESSES = 4;
const WRITERS_PER_PROCESS = 4;
const APPENDS_PER_WRITER = 12;
const READERS = 3;

/**
 * Several processes' view of one database: each store on its own pool, as a separate API or
 * projector process would be. One store alone proves nothing here, because its queue already
 * commits one group at a time; only the append lock orders commits across stores.
 */
describe('PostgreSQL live subscriptions with writers in several processes', () => {
  let database: TestDatabase;
  const pools: pg.Pool[] = [];
  const openPool = (max: number) => {
    const pool = new pg.Pool({ connectionString: database.url, max });
    pools.push(pool);
    return pool;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, eventStoreMigrations);
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await database.drop();
  });

  it('never lets a subscriber skip an event that commits late', async () => {
    // Each commit waits a random while after drawing its positions, so that without the lock a
    // later position from another store regularly commits before an earlier one.
    const writers = Array.from(
      { length: WRITER_PROCESSES },
      () =>
        new PostgresEventStore(openPool(WRITERS_PER_PROCESS), {
          beforeCommit: () => new Promise((resolve) => setTimeout(resolve, Math.random() * 15)),
        }),
    );
    const expected = new Set<string>();
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), 30_000);
    const reached = Array.from({ length: READERS }, () => 0);
    const readers = reached.map(async (_, reader) => {
      // Learns of commits only by polling, as another process does.
      const store = new PostgresEventStore(openPool(2), { pollIntervalMs: 1 });
      const seen: RecordedEvent[] = [];
      for await (const batch of store.subscribeToAll({
        after: 0,
        batchSize: 5,
        signal: controller.signal,
      })) {
        seen.push(...batch);
        reached[reader] = seen[seen.length - 1].position;
      }
      return seen;
    });

    await Promise.all(
      writers.flatMap((store) =>
        Array.from({ length: WRITERS_PER_PROCESS }, async () => {
          const streamId = `writer-${randomUUID()}`;
          for (let i = 0; i < APPENDS_PER_WRITER; i++) {
            const event = newEvent();
            expected.add(event.id);
            await store.append(streamId, [event], { expectedRevision: 'any' });
          }
        }),
      ),
    );
    const head = await writers[0].headPosition();
    while (reached.some((position) => position < head) && !controller.signal.aborted)
      await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const seenByReader = await Promise.all(readers);
    clearTimeout(timeout);

    const total = WRITER_PROCESSES * WRITERS_PER_PROCESS * APPENDS_PER_WRITER;
    expect(expected.size).toBe(total);
    for (const seen of seenByReader) {
      expect(seen.map((event) => event.id).sort()).toEqual([...expected].sort());
      // Nothing rolled back, so the positions are exactly 1…total, each seen once, in order.
      expect(seen.map((event) => event.position)).toEqual(
        Array.from({ length: total }, (_, index) => index + 1),
      );
    }
  });
});
