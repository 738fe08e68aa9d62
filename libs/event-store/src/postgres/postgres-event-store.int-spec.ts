import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDatabase } from '#database';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase } from '../../../../test/support/database.js';
import { describeEventStoreContract, newEvent } from '../testing/event-store.contract.js';
import type { RecordedEvent } from '../event-store.js';
import { eventStoreMigrations } from './event-store.migrations.js';
import { PostgresEventStore } from './postgres-event-store.js';

async function openStore(options: ConstructorParameters<typeof PostgresEventStore>[1] = {}) {
  const database = await createTestDatabase();
  await migrateDatabase(database.url, eventStoreMigrations);
  const pool = new pg.Pool({ connectionString: database.url, max: 20 });
  return {
    store: new PostgresEventStore(pool, { pollIntervalMs: 20, ...options }),
    pool,
    database,
    close: async () => {
      await pool.end();
      await database.drop();
    },
  };
}

describeEventStoreContract('PostgreSQL', () => openStore());

describe('PostgresEventStore', () => {
  describe('with commits delayed at random', () => {
    let subject: Awaited<ReturnType<typeof openStore>>;
    beforeAll(async () => {
      subject = await openStore({
        beforeCommit: () => new Promise((resolve) => setTimeout(resolve, Math.random() * 15)),
      });
    });
    afterAll(() => subject.close());

    it('never lets a live subscriber skip an event that commits late', async () => {
      // A second process's view: a store on its own pool that learns of commits only by polling.
      const readerPool = new pg.Pool({ connectionString: subject.database.url, max: 2 });
      const reader = new PostgresEventStore(readerPool, { pollIntervalMs: 1 });
      const expected = new Set<string>();
      const seen: RecordedEvent[] = [];
      let head = Infinity;
      const controller = new AbortController();
      const timeout = setTimeout(() => controller.abort(), 30_000);
      const subscriber = (async () => {
        for await (const batch of reader.subscribeToAll({
          after: 0,
          batchSize: 5,
          signal: controller.signal,
        })) {
          seen.push(...batch);
          if (seen[seen.length - 1].position >= head) controller.abort();
        }
      })();
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          const streamId = `writer-${randomUUID()}`;
          for (let i = 0; i < 12; i++) {
            const event = newEvent();
            expected.add(event.id);
            await subject.store.append(streamId, [event], { expectedRevision: 'any' });
          }
        }),
      );
      head = await subject.store.headPosition();
      await subscriber;
      clearTimeout(timeout);
      await readerPool.end();
      expect(seen.map((e) => e.id).sort()).toEqual([...expected].sort());
      expect(seen.map((e) => e.position)).toEqual(
        [...seen.map((e) => e.position)].sort((a, b) => a - b),
      );
    });
  });

  describe('when its connection breaks in the middle of an append', () => {
    let subject: Awaited<ReturnType<typeof openStore>>;
    beforeAll(async () => {
      subject = await openStore();
    });
    afterAll(() => subject.close());

    it('rejects that append, writes nothing, and keeps serving', async () => {
      const victim = `victim-${randomUUID()}`;
      const victimPool = new pg.Pool({
        connectionString: subject.database.url,
        application_name: victim,
      });
      victimPool.on('error', () => undefined);
      const store = new PostgresEventStore(victimPool, {
        beforeCommit: async () => {
          await subject.pool.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
            [victim],
          );
          await new Promise((resolve) => setTimeout(resolve, 50));
        },
      });
      const streamId = `fragile-${randomUUID()}`;
      await expect(
        store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' }),
      ).rejects.toThrow();
      expect(await subject.store.readStream(streamId)).toEqual([]);
      await subject.store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' });
      await victimPool.end();
    });
  });

  describe('the events table', () => {
    let subject: Awaited<ReturnType<typeof openStore>>;
    beforeAll(async () => {
      subject = await openStore();
    });
    afterAll(() => subject.close());

    it('refuses to update or delete a recorded event', async () => {
      const streamId = `immutable-${randomUUID()}`;
      await subject.store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' });
      await expect(
        subject.pool.query(`UPDATE events SET type = 'Forged' WHERE stream_id = $1`, [streamId]),
      ).rejects.toThrow(/immutable/);
      await expect(
        subject.pool.query(`DELETE FROM events WHERE stream_id = $1`, [streamId]),
      ).rejects.toThrow(/immutable/);
      expect((await subject.store.readStream(streamId))[0].type).toBe('ParticipantEnrolled');
    });
  });
});
