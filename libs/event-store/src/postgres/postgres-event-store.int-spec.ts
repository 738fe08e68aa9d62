import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDatabase } from '#database';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase } from '../../../../test/support/database.js';
import { describeEventStoreContract, newEvent } from '../testing/event-store.contract.js';
import { EventIdReused, EventStoreClosed, StreamRevisionConflict } from '../errors.js';
import type { AppendResult } from '../event-store.js';
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

/** Whether a session of `client`'s database waits for a lock within 5 s (polled every 10 ms). */
async function someoneWaitsForALock(client: pg.ClientBase): Promise<boolean> {
  for (let waited = 0; waited < 5_000; waited += 10) {
    const { rows } = await client.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows.length > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

/** The first word of every statement the pool's connections send from now on, in order. */
function recordStatements(pool: pg.Pool): string[] {
  const statements: string[] = [];
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      if (typeof args[0] === 'string') statements.push(args[0].trim().split(/\s+/)[0]);
      return query(...args);
    };
  });
  return statements;
}

/**
 * From now on, the pool's connections send each call of `append_part` that carries events
 * (a part) once `before(follows)` has settled, and what comes after it behind it, in order: the
 * database runs that part later, as under load.
 */
function holdParts(pool: pg.Pool, before: (follows: boolean) => Promise<unknown>): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    let sent: Promise<unknown> = Promise.resolve();
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const values = args[1] as unknown[] | undefined;
      const part = String(args[0]).includes('append_part') && values?.[0] === '{}';
      let result!: Promise<unknown>;
      sent = sent.then(async () => {
        if (part) await before(values?.at(-1) === true);
        result = query(...args);
      });
      return sent.then(() => result);
    };
  });
}

describeEventStoreContract('PostgreSQL', () => openStore());
describeEventStoreContract('PostgreSQL, every group in one round trip where it can', () =>
  openStore({ oneRoundTripMinEvents: 1 }),
);
describeEventStoreContract('PostgreSQL, one transaction per append', () =>
  openStore({ groupCommits: false }),
);

describe('PostgresEventStore', () => {
  it('answers its live subscriptions woken by the same commit with one read of the log', async () => {
    const { pool, close } = await openStore();
    class CountingStore extends PostgresEventStore {
      reads = 0;
      override readAll(...args: Parameters<PostgresEventStore['readAll']>) {
        this.reads++;
        return super.readAll(...args);
      }
    }
    // No polling within the test: only the commit wakes the subscriptions.
    const store = new CountingStore(pool, { pollIntervalMs: 60_000 });
    try {
      await store.append(`stream-${randomUUID()}`, [newEvent()], { expectedRevision: 'any' });
      const head = await store.headPosition();
      const controller = new AbortController();
      const subscribers = Array.from({ length: 6 }, async () => {
        for await (const batch of store.subscribeToAll({ after: head, signal: controller.signal }))
          return batch;
      });
      // Every subscription has read (together), found nothing, and sleeps until a commit.
      while (store.reads === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 100));
      store.reads = 0;
      const event = newEvent();
      await store.append(`stream-${randomUUID()}`, [event], { expectedRevision: 'any' });
      const batches = await Promise.all(subscribers);
      controller.abort();
      expect(batches.map((batch) => batch?.map(({ id }) => id))).toEqual(
        Array.from({ length: 6 }, () => [event.id]),
      );
      expect(store.reads).toBe(1);
    } finally {
      await close();
    }
  });

  describe('with concurrent appends', () => {
    let subject: Awaited<ReturnType<typeof openStore>>;
    let commits = 0;
    let holdNextCommit: Promise<void> | undefined;
    let failNextCommit = false;
    const warnings: string[] = [];
    beforeAll(async () => {
      subject = await openStore({
        logger: { warn: (message) => warnings.push(message) },
        beforeCommit: async () => {
          commits++;
          const held = holdNextCommit;
          const fail = failNextCommit;
          holdNextCommit = undefined;
          failNextCommit = false;
          await held;
          if (fail) throw new Error('the whole group fails');
        },
      });
    });
    afterAll(() => subject.close());

    /** Appends `first`, and while its commit is held, the others: they queue up and form a group. */
    async function behindOneCommit<T>(first: () => Promise<unknown>, others: () => Promise<T>) {
      let release!: () => void;
      holdNextCommit = new Promise((resolve) => (release = resolve));
      const leading = first();
      while (holdNextCommit) await new Promise((resolve) => setTimeout(resolve, 5));
      const queued = others();
      await new Promise((resolve) => setTimeout(resolve, 20));
      release();
      await leading;
      return queued;
    }

    it('commits the appends that wait for a commit together, each with its own answer', async () => {
      const taken = `taken-${randomUUID()}`;
      await subject.store.append(taken, [newEvent()], { expectedRevision: 'no_stream' });
      const retried = { streamId: `retried-${randomUUID()}`, event: newEvent() };
      await subject.store.append(retried.streamId, [retried.event], {
        expectedRevision: 'no_stream',
      });
      const fresh = Array.from({ length: 10 }, () => `fresh-${randomUUID()}`);
      const spoiled = `spoiled-${randomUUID()}`;
      const before = commits;

      const outcomes = await behindOneCommit(
        () =>
          subject.store.append(`lead-${randomUUID()}`, [newEvent()], { expectedRevision: 'any' }),
        async () =>
          Promise.allSettled([
            ...fresh.map((streamId) =>
              subject.store.append(streamId, [newEvent(), newEvent()], {
                expectedRevision: 'no_stream',
              }),
            ),
            subject.store.append(taken, [newEvent()], { expectedRevision: 'no_stream' }),
            subject.store.append(retried.streamId, [retried.event], {
              expectedRevision: 'no_stream',
            }),
            // Its first stream moves on before its second conflicts: both must stay as they were.
            subject.store.appendToStreams([
              { streamId: spoiled, events: [newEvent()], expectedRevision: 'no_stream' },
              { streamId: taken, events: [newEvent()], expectedRevision: 'no_stream' },
            ]),
          ]),
      );

      expect(commits - before).toBe(2); // the held one, then one for the 13 that waited
      const [conflict, repeat, multi] = outcomes.slice(fresh.length);
      expect(conflict).toMatchObject({ status: 'rejected' });
      expect((conflict as PromiseRejectedResult).reason).toBeInstanceOf(StreamRevisionConflict);
      expect(repeat).toMatchObject({ status: 'fulfilled', value: { alreadyRecorded: true } });
      expect((multi as PromiseRejectedResult).reason).toBeInstanceOf(StreamRevisionConflict);
      expect(await subject.store.readStream(spoiled)).toEqual([]);
      expect(await subject.store.readStream(taken)).toHaveLength(1);
      await subject.store.append(spoiled, [newEvent()], { expectedRevision: 'no_stream' });

      const landed = outcomes.slice(0, fresh.length) as PromiseFulfilledResult<AppendResult>[];
      expect(landed.map((outcome) => outcome.value.revision)).toEqual(fresh.map(() => 1));
      for (const [index, streamId] of fresh.entries()) {
        const events = await subject.store.readStream(streamId);
        expect(events.map((event) => event.revision)).toEqual([0, 1]);
        expect(landed[index].value.position).toBe(events[1].position);
      }
    });

    it('commits the next appends of the writers one commit answered together, not one alone first', async () => {
      const before = commits;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          const streamId = `writer-${randomUUID()}`;
          for (let i = 0; i < 5; i++)
            await subject.store.append(streamId, [newEvent()], { expectedRevision: 'any' });
        }),
      );
      // Taking the group at once, the first writer back would commit alone: 9 or 10 commits.
      expect(commits - before).toBe(5);
    });

    it('gives two appends to one stream in one group consecutive revisions', async () => {
      const streamId = `shared-${randomUUID()}`;
      const results = await behindOneCommit(
        () =>
          subject.store.append(`lead-${randomUUID()}`, [newEvent()], { expectedRevision: 'any' }),
        () =>
          Promise.all([
            subject.store.append(streamId, [newEvent()], { expectedRevision: 'any' }),
            subject.store.append(streamId, [newEvent(), newEvent()], { expectedRevision: 'any' }),
            subject.store.append(streamId, [newEvent()], { expectedRevision: 'any' }),
          ]),
      );
      expect(results.map((result) => result.revision)).toEqual([0, 2, 3]);
      const events = await subject.store.readStream(streamId);
      expect(results.map((result) => result.position)).toEqual(
        [0, 2, 3].map((r) => events[r].position),
      );
    });

    it('checks again, alone, the appends of a group whose new stream another process created meanwhile', async () => {
      const contested = `contested-${randomUUID()}`;
      const uncontested = `uncontested-${randomUUID()}`;
      const other = await subject.pool.connect();
      try {
        // The other process has created the stream but not committed yet: the group does not
        // see it when it looks, and waits on it when it creates the stream itself.
        await other.query('BEGIN');
        await other.query('INSERT INTO event_streams (stream_id, revision) VALUES ($1, 0)', [
          contested,
        ]);
        const outcomes = await behindOneCommit(
          () =>
            subject.store.append(`lead-${randomUUID()}`, [newEvent()], { expectedRevision: 'any' }),
          async () => {
            const appends = Promise.allSettled([
              subject.store.append(contested, [newEvent()], { expectedRevision: 'no_stream' }),
              subject.store.append(uncontested, [newEvent()], { expectedRevision: 'no_stream' }),
            ]);
            return { appends };
          },
        );
        expect(await someoneWaitsForALock(other)).toBe(true);
        await other.query('COMMIT');
        const [lost, won] = await outcomes.appends;
        expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(StreamRevisionConflict);
        expect(won).toMatchObject({ status: 'fulfilled', value: { revision: 0 } });
        expect(await subject.store.readStream(contested)).toEqual([]);
      } finally {
        other.release();
      }
    });

    it('lets each append of a group that fails as a whole try again alone, and says so', async () => {
      const streams = Array.from({ length: 5 }, () => `regrouped-${randomUUID()}`);
      const before = commits;
      const warned = warnings.length;
      const results = await behindOneCommit(
        async () => {
          failNextCommit = false;
          await subject.store.append(`lead-${randomUUID()}`, [newEvent()], {
            expectedRevision: 'any',
          });
        },
        async () => {
          failNextCommit = true;
          return Promise.all(
            streams.map((streamId) =>
              subject.store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' }),
            ),
          );
        },
      );
      expect(commits - before).toBe(1 + 1 + streams.length);
      expect(warnings.slice(warned)).toEqual([
        'A group of 5 appends failed as a whole and is retried append by append: the whole group fails',
      ]);
      expect(results.every((result) => !result.alreadyRecorded)).toBe(true);
      for (const streamId of streams)
        expect(await subject.store.readStream(streamId)).toHaveLength(1);
    });
  });

  describe('committing a group in one round trip', () => {
    let subject: Awaited<ReturnType<typeof openStore>>;
    let statements: string[];
    beforeAll(async () => {
      subject = await openStore({ oneRoundTripMinEvents: 1 });
      statements = recordStatements(subject.pool);
    });
    afterAll(() => subject.close());

    /** Appends started in one turn of the event loop: the queue takes them as one group. */
    const inOneGroup = <T>(appends: (() => Promise<T>)[]) =>
      Promise.allSettled(appends.map((append) => append()));

    it('sends BEGIN, the calls of the function and COMMIT at once when every write expects an exact revision or no stream', async () => {
      const existing = `existing-${randomUUID()}`;
      await subject.store.append(existing, [newEvent()], { expectedRevision: 'no_stream' });
      const checked = `checked-${randomUUID()}`;
      await subject.store.append(checked, [newEvent()], { expectedRevision: 'no_stream' });
      const fresh = Array.from({ length: 6 }, () => `fresh-${randomUUID()}`);
      const withCheck = `with-check-${randomUUID()}`;
      statements.length = 0;

      // An append that checks a stream comes first: its check answers its own last position,
      // not the group's.
      const checking = subject.store.appendToStreams([
        { streamId: checked, events: [], expectedRevision: 0 },
        { streamId: withCheck, events: [newEvent()], expectedRevision: 'no_stream' },
      ]);
      const outcomes = await inOneGroup([
        ...fresh.map(
          (streamId) => () =>
            subject.store.append(streamId, [newEvent(), newEvent()], {
              expectedRevision: 'no_stream',
            }),
        ),
        () => subject.store.append(existing, [newEvent()], { expectedRevision: 0 }),
      ]);

      // The streams' call, then one part of the events.
      expect(statements).toEqual(['BEGIN', 'SELECT', 'SELECT', 'COMMIT']);
      const results = outcomes.map(
        (outcome) => (outcome as PromiseFulfilledResult<AppendResult>).value,
      );
      expect(results.map((result) => result.revision)).toEqual([...fresh.map(() => 1), 1]);
      for (const [index, streamId] of [...fresh, existing].entries()) {
        const events = await subject.store.readStream(streamId);
        expect(results[index].position).toBe(events[events.length - 1].position);
      }
      const [own] = await subject.store.readStream(withCheck);
      expect(await checking).toEqual([
        { streamId: checked, revision: 0, position: own.position, alreadyRecorded: false },
        { streamId: withCheck, revision: 0, position: own.position, alreadyRecorded: false },
      ]);
      expect(own.position).toBeLessThan(results[0].position);
      expect(await subject.store.verifyLog()).toMatchObject({ ok: true });
    });

    it('chains what the database hashed exactly as the library hashes it, whatever the text', async () => {
      const data = {
        quote: 'say "hi" \\ back\\slash',
        unicode: 'Hải Phòng 🚀 \u2028 \u0001',
        nested: { z: 1, a: [1.5, null, true, 'é'] },
      };
      const streamId = `text-${randomUUID()}`;
      statements.length = 0;
      await subject.store.append(streamId, [newEvent({ data }), newEvent({ data: [] })], {
        expectedRevision: 'no_stream',
      });

      // In one round trip: had the function failed, the group would have gone the long way.
      expect(statements).toEqual(['BEGIN', 'SELECT', 'SELECT', 'COMMIT']);
      expect((await subject.store.readStream(streamId))[0].data).toEqual(data);
      expect(await subject.store.verifyLog()).toMatchObject({ ok: true });
    });

    it('answers a group holding a conflict and a repeat as if each append ran alone', async () => {
      const taken = `taken-${randomUUID()}`;
      const repeated = { streamId: `repeated-${randomUUID()}`, event: newEvent() };
      await subject.store.append(taken, [newEvent()], { expectedRevision: 'no_stream' });
      const first = await subject.store.append(repeated.streamId, [repeated.event], {
        expectedRevision: 'no_stream',
      });
      const fresh = `fresh-${randomUUID()}`;
      statements.length = 0;

      const [conflict, repeat, landed] = await inOneGroup([
        () => subject.store.append(taken, [newEvent()], { expectedRevision: 'no_stream' }),
        () =>
          subject.store.append(repeated.streamId, [repeated.event], {
            expectedRevision: 'no_stream',
          }),
        () => subject.store.append(fresh, [newEvent()], { expectedRevision: 'no_stream' }),
      ]);

      // The function wrote nothing and the group went the long way.
      expect(statements.slice(0, 5)).toEqual(['BEGIN', 'SELECT', 'SELECT', 'COMMIT', 'BEGIN']);
      expect((conflict as PromiseRejectedResult).reason).toBeInstanceOf(StreamRevisionConflict);
      expect(repeat).toMatchObject({
        status: 'fulfilled',
        value: { ...first, alreadyRecorded: true },
      });
      expect(landed).toMatchObject({ status: 'fulfilled', value: { revision: 0 } });
      expect(await subject.store.readStream(taken)).toHaveLength(1);
      expect(await subject.store.readStream(fresh)).toHaveLength(1);
      expect(await subject.store.verifyLog()).toMatchObject({ ok: true });
    });

    it('counts no positions on from a part whose events did not take consecutive ones', async () => {
      const warnings: string[] = [];
      const stepped = await openStore({
        oneRoundTripMinEvents: 1,
        logger: { warn: (message) => warnings.push(message) },
      });
      try {
        await stepped.pool.query(
          'ALTER TABLE events ALTER COLUMN global_position SET INCREMENT BY 2',
        );
        const streamId = `stepped-${randomUUID()}`;

        const result = await stepped.store.append(streamId, [newEvent(), newEvent()], {
          expectedRevision: 'no_stream',
        });

        // The part raised; the append went again alone, which reads each position back.
        expect(warnings).toEqual([
          expect.stringContaining('the events of a part did not take consecutive positions'),
        ]);
        const events = await stepped.store.readStream(streamId);
        expect(events[1].position - events[0].position).toBe(2);
        expect(result).toMatchObject({ revision: 1, position: events[1].position });
      } finally {
        await stepped.close();
      }
    });

    it('locks a stream it wrongly counts as new in the one lock order, so it cannot deadlock with an append holding it', async () => {
      // In lock order: `first` before `second`.
      const first = `lock-order-a-${randomUUID()}`;
      const second = `lock-order-b-${randomUUID()}`;
      for (const streamId of [first, second])
        await subject.store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' });
      const other = new pg.Client({ connectionString: subject.database.url });
      await other.connect();
      try {
        // Another process's append has moved `first` on and will move `second` next.
        await other.query('BEGIN');
        await other.query('UPDATE event_streams SET revision = revision WHERE stream_id = $1', [
          first,
        ]);
        statements.length = 0;
        const appended = subject.store.appendToStreams([
          { streamId: second, events: [newEvent()], expectedRevision: 0 },
          // Stale: `first` exists.
          { streamId: first, events: [newEvent()], expectedRevision: 'no_stream' },
        ]);
        expect(await someoneWaitsForALock(other)).toBe(true);

        // Had the group locked `second` before waiting for `first`, this would deadlock.
        await other.query('UPDATE event_streams SET revision = revision WHERE stream_id = $1', [
          second,
        ]);
        await other.query('COMMIT');

        await expect(appended).rejects.toBeInstanceOf(StreamRevisionConflict);
        // The function refused the group (no failed group rolled back): it went the long way.
        expect(statements.slice(0, 5)).toEqual(['BEGIN', 'SELECT', 'SELECT', 'COMMIT', 'BEGIN']);
      } finally {
        await other.end();
      }
    });

    it('goes the long way when another process creates one of its new streams while it waits', async () => {
      const contested = `contested-${randomUUID()}`;
      const uncontested = `uncontested-${randomUUID()}`;
      // Outside the recorded pool: the other process, and the look at who waits.
      const other = new pg.Client({ connectionString: subject.database.url });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query('INSERT INTO event_streams (stream_id, revision) VALUES ($1, 0)', [
          contested,
        ]);
        statements.length = 0;
        const outcomes = inOneGroup(
          [contested, uncontested].map(
            (streamId) => () =>
              subject.store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' }),
          ),
        );
        // The function's INSERT of the contested stream's row waits for the other transaction.
        expect(await someoneWaitsForALock(other)).toBe(true);
        await other.query('COMMIT');
        const [lost, won] = await outcomes;

        // The key refused the row, the function wrote nothing, and the group went the long way
        // (not the failed group's append-by-append retry, which would ROLLBACK first).
        expect(statements.slice(0, 5)).toEqual(['BEGIN', 'SELECT', 'SELECT', 'COMMIT', 'BEGIN']);
        expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(StreamRevisionConflict);
        expect(won).toMatchObject({ status: 'fulfilled', value: { revision: 0 } });
        expect(await subject.store.readStream(contested)).toEqual([]);
        expect(await subject.store.verifyLog()).toMatchObject({ ok: true });
      } finally {
        await other.end();
      }
    });

    describe('in parts of the events', () => {
      let parted: Awaited<ReturnType<typeof openStore>>;
      let sent: string[];
      let beforeFirstPart: () => Promise<unknown> = async () => undefined;
      beforeAll(async () => {
        parted = await openStore({ oneRoundTripMinEvents: 1, appendGroupPartEvents: 2 });
        // Each part after the first 15 ms late; the first after whatever a test holds it for.
        holdParts(parted.pool, async (follows) =>
          follows ? new Promise((resolve) => setTimeout(resolve, 15)) : beforeFirstPart(),
        );
        sent = recordStatements(parted.pool);
      });
      afterAll(() => parted.close());

      /** Writes of 1, 2 and 3 events (and so on) to new streams: a write is never split. */
      const writesOf = (sizes: number[], data: (index: number) => unknown = () => ({})) =>
        sizes.map((size, write) => ({
          streamId: `parted-${write}-${randomUUID()}`,
          events: Array.from({ length: size }, (_, index) => newEvent({ data: data(index) })),
          expectedRevision: 'no_stream' as const,
        }));

      it('stores every part with the record time of the first, on one chain the library verifies', async () => {
        const texts = ['say "hi" \\ back\\slash', 'Hải Phòng 🚀 \u2028 \u0001', 'é'];
        // Stream ids and types that an array literal must quote and escape.
        const awkward = ['NULL', ' spaced ', 'say "hi"', 'back\\slash', '{a,b}'];
        const writes = writesOf([1, 2, 3, 1, 2], (index) => ({ text: texts[index], index })).map(
          (write, index) => ({
            ...write,
            streamId: `${awkward[index]} é-${randomUUID()}`,
            events: write.events.map((event) => ({ ...event, type: awkward[index] })),
          }),
        );
        // A check of a stream's revision among them: it answers the append's last position.
        const checked = `checked-${randomUUID()}`;
        await parted.store.append(checked, [newEvent()], { expectedRevision: 'no_stream' });
        sent.length = 0;

        const results = await parted.store.appendToStreams([
          ...writes.slice(0, 2),
          { streamId: checked, events: [], expectedRevision: 0 },
          ...writes.slice(2),
        ]);

        // The streams' call, then parts of 1, 2, 3, 1 and 2 events.
        expect(sent).toEqual(['BEGIN', ...Array(6).fill('SELECT'), 'COMMIT']);
        const stored = (
          await Promise.all(writes.map(({ streamId }) => parted.store.readStream(streamId)))
        ).flat();
        expect(stored.map((event) => event.position)).toEqual(
          stored.map((_, index) => stored[0].position + index),
        );
        expect(stored.map(({ data, type, streamId }) => ({ data, type, streamId }))).toEqual(
          writes.flatMap(({ streamId, events }) =>
            events.map(({ data, type }) => ({ data, type, streamId })),
          ),
        );
        expect(new Set(stored.map((event) => event.recordedAt.getTime())).size).toBe(1);
        expect(results.map((result) => result.revision)).toEqual([0, 1, 0, 2, 0, 1]);
        // Each write answers its stream's last position, counted on from each part's first.
        const lastOf = (streamId: string) =>
          stored.filter((event) => event.streamId === streamId).at(-1)!.position;
        expect(results.map((result) => result.position)).toEqual([
          ...writes.slice(0, 2).map((write) => lastOf(write.streamId)),
          stored.at(-1)!.position,
          ...writes.slice(2).map((write) => lastOf(write.streamId)),
        ]);
        expect(await parted.store.verifyLog()).toMatchObject({ ok: true });
      });

      it('stores times of occurrence of any year the store accepts, in one round trip', async () => {
        const times = [
          '0001-01-01T00:00:00.000Z',
          '9999-12-31T23:59:59.999Z',
          '+010000-01-01T00:00:00.001Z',
        ];
        const writes = writesOf([1, 1, 1]).map((write, index) => ({
          ...write,
          events: write.events.map((event) => ({ ...event, occurredAt: new Date(times[index]) })),
        }));
        sent.length = 0;

        await parted.store.appendToStreams(writes);

        expect(sent).toEqual(['BEGIN', ...Array(3).fill('SELECT'), 'COMMIT']);
        const stored = await parted.pool.query<{ occurred: string }>(
          `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS occurred
           FROM events WHERE stream_id = ANY($1) ORDER BY global_position`,
          [writes.map((write) => write.streamId)],
        );
        expect(stored.rows.map((row) => row.occurred)).toEqual([
          '0001-01-01 00:00:00.000',
          '9999-12-31 23:59:59.999',
          '10000-01-01 00:00:00.001',
        ]);
        expect(await parted.store.verifyLog()).toMatchObject({ ok: true });
      });

      it('refuses a check that a stream is absent when it appeared before the first part took the append lock', async () => {
        const checked = `checked-${randomUUID()}`;
        const elsewhere = new PostgresEventStore(parted.pool);
        // Between the streams' call (nothing to lock for the absent stream) and the first part.
        beforeFirstPart = async () => {
          beforeFirstPart = async () => undefined;
          await elsewhere.append(checked, [newEvent()], { expectedRevision: 'no_stream' });
        };
        const writes = writesOf([2]);

        const appended = parted.store.appendToStreams([
          { streamId: checked, events: [], expectedRevision: 'no_stream' },
          ...writes,
        ]);

        await expect(appended).rejects.toBeInstanceOf(StreamRevisionConflict);
        expect(await parted.store.readStream(writes[0].streamId)).toEqual([]);
        expect(await parted.store.readStream(checked)).toHaveLength(1);
      });

      it('writes nothing when a later part holds an id recorded before, and answers each append the long way', async () => {
        const recorded = newEvent();
        await parted.store.append(`recorded-${randomUUID()}`, [recorded], {
          expectedRevision: 'no_stream',
        });
        const writes = writesOf([2, 2, 2]);
        const repeat = {
          streamId: `repeat-${randomUUID()}`,
          events: [recorded],
          expectedRevision: 'no_stream' as const,
        };
        const head = await parted.store.headPosition();
        sent.length = 0;

        const outcomes = await Promise.allSettled([
          parted.store.appendToStreams(writes),
          parted.store.append(repeat.streamId, repeat.events, { expectedRevision: 'no_stream' }),
        ]);

        // The streams (all fit), three parts and the one holding the id recorded in another
        // stream: that last part raised, and the group went the long way.
        expect(sent.slice(0, 8)).toEqual(['BEGIN', ...Array(5).fill('SELECT'), 'COMMIT', 'BEGIN']);
        expect(outcomes[0]).toMatchObject({ status: 'fulfilled' });
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(EventIdReused);
        expect((await parted.store.readStream(repeat.streamId)).length).toBe(0);
        // Positions the rolled-back parts drew stay unused (docs/operations.md, "Position gaps").
        const written = await parted.pool.query<{ count: string }>(
          'SELECT count(*) FROM events WHERE global_position > $1',
          [head],
        );
        expect(Number(written.rows[0].count)).toBe(6);
        expect(await parted.store.verifyLog()).toMatchObject({ ok: true });
      });
    });

    it('takes the long way for writes that expect any revision', async () => {
      statements.length = 0;
      await subject.store.append(`any-${randomUUID()}`, [newEvent()], { expectedRevision: 'any' });

      expect(statements.filter((statement) => statement === 'BEGIN')).toHaveLength(1);
      expect(statements.length).toBeGreaterThan(3);
    });

    it('takes the long way for a group of fewer events than the threshold', async () => {
      const small = await openStore();
      try {
        const used = recordStatements(small.pool);
        await small.store.append(`small-${randomUUID()}`, [newEvent()], {
          expectedRevision: 'no_stream',
        });
        expect(used.length).toBeGreaterThan(3);
        used.length = 0;
        await small.store.appendToStreams(
          Array.from({ length: 16 }, () => ({
            streamId: `large-${randomUUID()}`,
            events: [newEvent()],
            expectedRevision: 'no_stream' as const,
          })),
        );
        expect(used).toEqual(['BEGIN', 'SELECT', 'SELECT', 'COMMIT']);
      } finally {
        await small.close();
      }
    });
  });

  describe('its append observers', () => {
    it('hear of each commit once, with the appends and events it wrote, not repeats or conflicts', async () => {
      const subject = await openStore();
      try {
        const heard: { appends: number; events: number }[] = [];
        const stop = subject.store.observeAppends((committed) => heard.push(committed));
        const repeated = { streamId: `repeated-${randomUUID()}`, event: newEvent() };
        await subject.store.append(repeated.streamId, [repeated.event], {
          expectedRevision: 'no_stream',
        });
        expect(heard).toEqual([{ appends: 1, events: 1 }]);
        heard.length = 0;

        // One turn of the event loop: one group.
        await Promise.allSettled([
          subject.store.append(`a-${randomUUID()}`, [newEvent(), newEvent()], {
            expectedRevision: 'no_stream',
          }),
          subject.store.append(`b-${randomUUID()}`, [newEvent()], {
            expectedRevision: 'no_stream',
          }),
          subject.store.append(repeated.streamId, [repeated.event], {
            expectedRevision: 'no_stream',
          }),
          subject.store.append(repeated.streamId, [newEvent()], { expectedRevision: 'no_stream' }),
        ]);
        expect(heard).toEqual([{ appends: 2, events: 3 }]);

        stop();
        await subject.store.append(`c-${randomUUID()}`, [newEvent()], {
          expectedRevision: 'no_stream',
        });
        expect(heard).toHaveLength(1);
      } finally {
        await subject.close();
      }
    });
  });

  describe('with a check racing a write to the stream it checks', () => {
    it('sees the write that commits first, even while it still waits for the append lock', async () => {
      const { store: checker, pool, database } = await openStore();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let holding!: () => void;
      const isHolding = new Promise<void>((resolve) => (holding = resolve));
      // Another process's append, stopped after it moved the stream on, before its COMMIT.
      const writerPool = new pg.Pool({ connectionString: database.url, max: 2 });
      const writer = new PostgresEventStore(writerPool, {
        beforeCommit: async () => {
          holding();
          await held;
        },
      });
      const unit = `unit-${randomUUID()}`;
      await checker.append(unit, [newEvent()], { expectedRevision: 'no_stream' });
      const merged = writer.append(unit, [newEvent()], { expectedRevision: 0 });
      await isHolding;
      const decided = checker.appendToStreams([
        { streamId: `enrollment-${randomUUID()}`, events: [newEvent()], expectedRevision: 'any' },
        { streamId: unit, events: [], expectedRevision: 0 },
      ]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      await merged;
      await expect(decided).rejects.toMatchObject({ streamId: unit, actual: 1 });
      await writerPool.end();
      await pool.end();
      await database.drop();
    });

    it.each([
      ['grouped', {}],
      ['alone', { groupCommits: false }],
    ])(
      'sees a stream created by an append that commits first, though it had no row to lock (%s)',
      async (_, options) => {
        const { store: checker, pool, database } = await openStore(options);
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let holding!: () => void;
        const isHolding = new Promise<void>((resolve) => (holding = resolve));
        const writerPool = new pg.Pool({ connectionString: database.url, max: 2 });
        const writer = new PostgresEventStore(writerPool, {
          beforeCommit: async () => {
            holding();
            await held;
          },
        });
        const unit = `unit-${randomUUID()}`;
        const created = writer.append(unit, [newEvent()], { expectedRevision: 'no_stream' });
        await isHolding;
        const decided = checker.appendToStreams([
          { streamId: `enrollment-${randomUUID()}`, events: [newEvent()], expectedRevision: 'any' },
          { streamId: unit, events: [], expectedRevision: 'no_stream' },
        ]);
        await new Promise((resolve) => setTimeout(resolve, 100));
        release();
        await created;
        await expect(decided).rejects.toMatchObject({ streamId: unit, actual: 0 });
        await writerPool.end();
        await pool.end();
        await database.drop();
      },
    );
  });

  describe('when it closes', () => {
    it('commits every append it has taken, queued ones included, and takes no more', async () => {
      const { store, pool, database } = await openStore();
      const streams = Array.from({ length: 40 }, () => `closing-${randomUUID()}`);
      const appends = Promise.allSettled(
        streams.map((streamId) =>
          store.append(streamId, [newEvent()], { expectedRevision: 'no_stream' }),
        ),
      );
      await store.close();
      await pool.end();
      expect((await appends).filter((outcome) => outcome.status === 'rejected')).toEqual([]);
      await expect(
        store.append(`late-${randomUUID()}`, [newEvent()], { expectedRevision: 'no_stream' }),
      ).rejects.toBeInstanceOf(EventStoreClosed);
      const check = new pg.Pool({ connectionString: database.url, max: 1 });
      const { rows } = await check.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM events WHERE stream_id = ANY($1)',
        [streams],
      );
      expect(rows[0].n).toBe(streams.length);
      await check.end();
      await database.drop();
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

    it('gives the events of one append one record time, which resolves to the last of them', async () => {
      const streamId = `one-time-${randomUUID()}`;
      const events = [newEvent(), newEvent(), newEvent()];
      await subject.store.append(streamId, events, { expectedRevision: 'no_stream' });
      const appended = await subject.store.readStream(streamId);
      expect(new Set(appended.map((event) => event.recordedAt.getTime())).size).toBe(1);
      expect(await subject.store.positionAt(appended[0].recordedAt)).toBeGreaterThanOrEqual(
        appended[2].position,
      );
    });

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
