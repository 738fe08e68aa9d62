import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDatabase } from '#database';
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase } from '../../../../test/support/database.js';
import { newEvent } from '../testing/event-store.contract.js';
import { type ChainedEvent, GENESIS_HASH, chainHash, eventContent } from '../chain/event-hash.js';
import { InvalidRestore, RestoreConflict } from '../errors.js';
import type { EventStore } from '../event-store.js';
import { CreateEventStore1763900000000, eventStoreMigrations } from './event-store.migrations.js';
import { PostgresEventStore } from './postgres-event-store.js';

async function openStore(options: ConstructorParameters<typeof PostgresEventStore>[1] = {}) {
  const database = await createTestDatabase();
  await migrateDatabase(database.url, eventStoreMigrations);
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
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
type Subject = Awaited<ReturnType<typeof openStore>>;

/** Appends `count` events, one stream per three, and returns their positions. */
async function record(store: EventStore, count: number): Promise<number[]> {
  const positions: number[] = [];
  for (let n = 0; n < count; n += 3) {
    const events = Array.from({ length: Math.min(3, count - n) }, () => newEvent());
    const result = await store.append(`chain-${randomUUID()}`, events, {
      expectedRevision: 'no_stream',
    });
    for (let i = events.length - 1; i >= 0; i--) positions.push(result.position - i);
  }
  return positions;
}

/** Runs `sql` as an attacker with table rights would: with the immutability trigger off. */
async function tamper(pool: pg.Pool, sql: string, values: unknown[] = []): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql, values);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

const storedHash = async (pool: pg.Pool, position: number) =>
  (
    await pool.query<{ hash: string }>(
      `SELECT encode(hash, 'hex') AS hash FROM events WHERE global_position = $1`,
      [position],
    )
  ).rows[0].hash;

async function exported(store: EventStore, range?: Parameters<EventStore['exportLog']>[0]) {
  const events: ChainedEvent[] = [];
  for await (const page of store.exportLog(range)) events.push(...page);
  return events;
}

describe('the hash chain of the PostgreSQL event store', () => {
  describe('verification', () => {
    let subject: Subject;
    beforeAll(async () => {
      subject = await openStore();
    });
    afterAll(() => subject.close());

    it('reports an untouched log intact, with its head position and hash', async () => {
      expect(await subject.store.verifyLog()).toEqual({
        ok: true,
        events: 0,
        headPosition: 0,
        headHash: GENESIS_HASH,
      });
      const positions = await record(subject.store, 10);
      const head = positions[positions.length - 1];
      expect(await subject.store.verifyLog()).toEqual({
        ok: true,
        events: 10,
        headPosition: head,
        headHash: await storedHash(subject.pool, head),
      });
    });
  });

  describe('when a row is tampered with in PostgreSQL', () => {
    let subject: Subject;
    beforeAll(async () => {
      subject = await openStore();
    });
    afterAll(() => subject.close());

    it("reports an event whose data was edited as altered, at that event's position", async () => {
      const positions = await record(subject.store, 9);
      const target = positions[4];
      await tamper(
        subject.pool,
        `UPDATE events SET data = jsonb_set(data, '{scheme}', '"forged"') WHERE global_position = $1`,
        [target],
      );
      expect(await subject.store.verifyLog()).toMatchObject({
        ok: false,
        problem: { kind: 'altered', position: target },
        lastIntactPosition: positions[3],
        events: 4,
      });
    });
  });

  describe('when a row is deleted', () => {
    let subject: Subject;
    beforeAll(async () => {
      subject = await openStore();
    });
    afterAll(() => subject.close());

    it('reports an event missing before the position that follows it', async () => {
      const positions = await record(subject.store, 9);
      await tamper(subject.pool, 'DELETE FROM events WHERE global_position = $1', [positions[5]]);
      expect(await subject.store.verifyLog()).toMatchObject({
        ok: false,
        problem: { kind: 'deleted', position: positions[6] },
        lastIntactPosition: positions[4],
      });
    });
  });

  describe('when a forged row is inserted', () => {
    let subject: Subject;
    beforeAll(async () => {
      subject = await openStore();
    });
    afterAll(() => subject.close());

    const forge = (position: number | null, previousHash: string) =>
      tamper(
        subject.pool,
        `INSERT INTO events (global_position, event_id, stream_id, stream_revision, type, schema_version,
                             data, metadata, occurred_at, recorded_at, hash, previous_hash)
         OVERRIDING SYSTEM VALUE
         SELECT coalesce($1, nextval(pg_get_serial_sequence('events', 'global_position'))), $2,
                'forged', 0, 'ParticipantEnrolled', 1, '{}', '{"actor":"x","correlationId":"y"}',
                now(), date_trunc('milliseconds', now()), decode($3, 'hex'), decode($4, 'hex')`,
        [
          position,
          randomUUID(),
          createHash('sha256').update(randomUUID()).digest('hex'),
          previousHash,
        ],
      );

    it('reports a row in a gap of the positions as inserted, at its position', async () => {
      const before = await record(subject.store, 6);
      // A rolled-back append leaves such a gap.
      await subject.pool.query(
        `SELECT setval(pg_get_serial_sequence('events', 'global_position'), $1)`,
        [before[before.length - 1] + 5],
      );
      await record(subject.store, 6);
      const gap = before[before.length - 1] + 3;
      await forge(gap, await storedHash(subject.pool, before[before.length - 1]));
      expect(await subject.store.verifyLog()).toMatchObject({
        ok: false,
        problem: { kind: 'inserted', position: gap },
        lastIntactPosition: before[before.length - 1],
      });
    });
  });

  describe('when a forged row is added at the head', () => {
    let subject: Subject;
    beforeAll(async () => {
      subject = await openStore();
    });
    afterAll(() => subject.close());

    it('reports it as inserted', async () => {
      const positions = await record(subject.store, 4);
      await tamper(
        subject.pool,
        `INSERT INTO events (event_id, stream_id, stream_revision, type, schema_version, data,
                             metadata, occurred_at, recorded_at, hash, previous_hash)
         SELECT $1, 'forged', 0, 'Forged', 1, '{}', '{}', now(), date_trunc('milliseconds', now()),
                decode(repeat('ab', 32), 'hex'), decode(repeat('cd', 32), 'hex')`,
        [randomUUID()],
      );
      expect(await subject.store.verifyLog()).toMatchObject({
        ok: false,
        problem: { kind: 'inserted', position: positions[3] + 1 },
      });
    });
  });

  describe('when a writer rewrites an event and recomputes the chain after it', () => {
    let subject: Subject;
    beforeAll(async () => {
      subject = await openStore();
    });
    afterAll(() => subject.close());

    it('verifies, but not against the head kept before', async () => {
      const positions = await record(subject.store, 6);
      const before = await subject.store.verifyLog();
      if (!before.ok) throw new Error('the fresh log does not verify');
      const kept = { position: before.headPosition, hash: before.headHash };
      const log = await exported(subject.store);
      log[2] = { ...log[2], data: { rewritten: true } };
      let previousHash = log[1].hash;
      for (const event of log.slice(2)) {
        event.previousHash = previousHash;
        event.hash = chainHash(previousHash, eventContent(event));
        previousHash = event.hash;
      }
      for (const event of log.slice(2)) {
        await tamper(
          subject.pool,
          `UPDATE events SET data = $2, hash = decode($3, 'hex'), previous_hash = decode($4, 'hex')
           WHERE global_position = $1`,
          [event.position, event.data, event.hash, event.previousHash],
        );
      }
      expect(await subject.store.verifyLog()).toMatchObject({ ok: true, events: 6 });
      expect(await subject.store.verifyLog(kept)).toMatchObject({
        ok: false,
        problem: { kind: 'rewritten', position: positions[5] },
      });
    });
  });

  describe('with concurrent grouped appends from two processes', () => {
    let subject: Subject;
    let commits = 0;
    const slowCommit = async () => {
      commits++;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    };
    beforeAll(async () => {
      subject = await openStore({ beforeCommit: slowCommit });
    });
    afterAll(() => subject.close());

    it('keeps one unbroken chain, with record times that never decrease', async () => {
      const otherPool = new pg.Pool({ connectionString: subject.database.url, max: 10 });
      const other = new PostgresEventStore(otherPool, { beforeCommit: slowCommit });
      try {
        const writes = [subject.store, other].flatMap((store) =>
          Array.from({ length: 40 }, (_, n) =>
            n % 4 === 0
              ? store.appendToStreams([
                  { streamId: `a-${randomUUID()}`, events: [newEvent()], expectedRevision: 'any' },
                  { streamId: `b-${randomUUID()}`, events: [newEvent()], expectedRevision: 'any' },
                ])
              : store.append(`c-${randomUUID()}`, [newEvent(), newEvent()], {
                  expectedRevision: 'no_stream',
                }),
          ),
        );
        await Promise.all(writes);
      } finally {
        await otherPool.end();
      }
      expect(commits).toBeLessThan(80 / 2); // most appends were committed in groups
      const result = await subject.store.verifyLog();
      expect(result).toMatchObject({ ok: true, events: 160 });
      const { rows } = await subject.pool.query<{ decreasing: string }>(
        `SELECT count(*) FILTER (WHERE recorded_at < previous) AS decreasing
         FROM (SELECT recorded_at, lag(recorded_at) OVER (ORDER BY global_position) AS previous
               FROM events) t`,
      );
      expect(Number(rows[0].decreasing)).toBe(0);
    });
  });

  describe('export and restore', () => {
    let source: Subject;
    let target: Subject;
    let log: ChainedEvent[];
    beforeAll(async () => {
      [source, target] = await Promise.all([openStore(), openStore()]);
      await record(source.store, 5);
      // A gap in the positions, as a rolled-back append leaves, must survive the restore.
      await source.pool.query(
        `SELECT setval(pg_get_serial_sequence('events', 'global_position'), 20)`,
      );
      await record(source.store, 250);
      log = await exported(source.store);
    });
    afterAll(async () => {
      await source.close();
      await target.close();
    });

    it('exports every event with its link, in position order, page by page', async () => {
      expect(log).toHaveLength(255);
      expect(log[0].previousHash).toBe(GENESIS_HASH);
      expect(log[5].position).toBe(21);
      expect(log.slice(1).every((event, index) => event.previousHash === log[index].hash)).toBe(
        true,
      );
      const verification = await source.store.verifyLog();
      expect(verification).toMatchObject({ headHash: log[254].hash });
      let pages = 0;
      for await (const page of source.store.exportLog({ pageSize: 100 })) pages += page.length && 1;
      expect(pages).toBe(3);
    });

    it('exports the events recorded in a time range, from inclusive, to exclusive', async () => {
      const from = log[100].recordedAt;
      const to = log[200].recordedAt;
      const range = await exported(source.store, { from, to });
      const expected = log.filter((e) => e.recordedAt >= from && e.recordedAt < to);
      expect(range.map((e) => e.position)).toEqual(expected.map((e) => e.position));
      expect(range.length).toBeGreaterThan(0);
    });

    it('refuses a chunk that does not start at the head of an empty log, writing nothing', async () => {
      await expect(target.store.restoreLog(log.slice(100, 200))).rejects.toThrow(RestoreConflict);
      await expect(target.store.restoreLog(log.slice(100, 200))).rejects.toThrow(/log is empty/);
      expect(await target.store.headPosition()).toBe(0);
    });

    it('refuses a chunk with an event that does not hash right, naming it', async () => {
      const chunk = log.slice(0, 100).map((event) => ({ ...event }));
      chunk[42] = { ...chunk[42], data: { forged: true } };
      await expect(target.store.restoreLog(chunk)).rejects.toMatchObject({
        constructor: InvalidRestore,
        index: 42,
        field: 'hash',
      });
      expect(await target.store.headPosition()).toBe(0);
    });

    it('restores the log chunk by chunk with its positions, record times and hashes', async () => {
      for (let start = 0; start < log.length; start += 100) {
        const result = await target.store.restoreLog(log.slice(start, start + 100));
        expect(result).toMatchObject({ alreadyRestored: false });
        if (start === 100) {
          // A re-run after a crash sends the chunk again: nothing is written twice.
          expect(await target.store.restoreLog(log.slice(start, start + 100))).toMatchObject({
            restored: 0,
            alreadyRestored: true,
          });
          // A chunk that skips one ahead does not continue the log.
          await expect(target.store.restoreLog(log.slice(start + 100 + 1))).rejects.toThrow(
            /ends at position/,
          );
        }
      }
      expect(await exported(target.store)).toEqual(log);
      expect(await target.store.verifyLog()).toEqual(await source.store.verifyLog());
      const streamId = log[log.length - 1].streamId;
      expect(await target.store.readStream(streamId)).toEqual(
        await source.store.readStream(streamId),
      );
    });

    it('lets appends continue after the last restored position, on the same chain', async () => {
      const last = log[log.length - 1];
      const result = await target.store.append(last.streamId, [newEvent()], {
        expectedRevision: last.revision,
      });
      expect(result.position).toBe(last.position + 1);
      expect(await target.store.verifyLog()).toMatchObject({
        ok: true,
        events: log.length + 1,
        headPosition: last.position + 1,
      });
    });

    it('wakes live subscribers when a chunk is restored', async () => {
      // Polling only once a minute: the restore itself must wake the subscriber.
      const fresh = await openStore({ pollIntervalMs: 60_000 });
      try {
        const controller = new AbortController();
        const timeout = setTimeout(() => controller.abort(), 10_000);
        const seen: number[] = [];
        const subscriber = (async () => {
          for await (const batch of fresh.store.subscribeToAll({
            after: 0,
            signal: controller.signal,
          })) {
            seen.push(...batch.map((event) => event.position));
            if (seen.length >= 50) controller.abort();
          }
        })();
        await fresh.store.restoreLog(log.slice(0, 50));
        await subscriber;
        clearTimeout(timeout);
        expect(seen).toEqual(log.slice(0, 50).map((event) => event.position));
      } finally {
        await fresh.close();
      }
    });
  });

  describe('the migration that adds the chain', () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let pool: pg.Pool;
    beforeAll(async () => {
      database = await createTestDatabase();
      await migrateDatabase(database.url, [CreateEventStore1763900000000]);
      pool = new pg.Pool({ connectionString: database.url, max: 4 });
    });
    afterAll(async () => {
      await pool.end();
      await database.drop();
    });

    it('chains the events stored before it, page by page, and appends continue the chain', async () => {
      // Stored as appends did before the chain: record times from the column default, to the µs.
      await pool.query(
        `INSERT INTO events (event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at)
         SELECT gen_random_uuid(), 'old-' || n, 0, 'ParticipantEnrolled', 1,
                jsonb_build_object('n', n, 'scheme', 'voluntary', 'nested', jsonb_build_object('b', 1, 'a', 2)),
                '{"actor":"old","correlationId":"c"}', '2024-01-01T00:00:00Z'
         FROM generate_series(1, 12000) AS n`,
      );
      await pool.query(
        `INSERT INTO event_streams SELECT 'old-' || n, 0 FROM generate_series(1, 12000) AS n`,
      );
      await migrateDatabase(database.url, eventStoreMigrations);
      const store = new PostgresEventStore(pool);
      const before = await store.verifyLog();
      expect(before).toMatchObject({ ok: true, events: 12000, headPosition: 12000 });
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM events WHERE recorded_at <> date_trunc('milliseconds', recorded_at)`,
      );
      expect(rows[0].n).toBe(0);
      await store.append('old-1', [newEvent()], { expectedRevision: 0 });
      expect(await store.verifyLog()).toMatchObject({ ok: true, events: 12001 });
      await expect(
        pool.query(`UPDATE events SET type = 'Forged' WHERE global_position = 1`),
      ).rejects.toThrow(/immutable/);
    });
  });
});
