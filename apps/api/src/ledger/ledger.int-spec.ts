import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Decider, type DomainEvent } from '#domain';
import { migrateDatabase } from '#database';
import { PostgresEventStore, type RecordedEvent, eventStoreMigrations } from '#event-store';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { FoldedStreams } from './folded-streams.js';
import { type CommandRecorded, hashRequest, idempotencyStream } from './idempotency.js';
import { type LedgerTransaction } from './ledger-transaction.js';
import { Ledger, type LedgerRequest } from './ledger.js';
import { StreamTurns } from './stream-turns.js';

/** Each event records the total it was decided on: a stale state shows in the log. */
type Counted = DomainEvent<'Counted', { n: number; totalBefore: number }>;

const calls = { evolve: 0 };
const counter: Decider<{ n: number }, Counted, number> = {
  initialState: 0,
  evolve: (total, event) => {
    calls.evolve += 1;
    return total + event.data.n;
  },
  decide: ({ n }, total) => [{ type: 'Counted', data: { n, totalBefore: total } }],
};

/** A second view of the same events. */
const largest: Pick<Decider<never, Counted, number>, 'initialState' | 'evolve'> = {
  initialState: 0,
  evolve: (most, event) => Math.max(most, event.data.n),
};

/** Counts only while the total is below 10: refuses at 10 or more. */
const belowTen: Decider<{ n: number }, Counted, number> = {
  ...counter,
  decide: (command, total) => {
    if (total >= 10) throw new Error(`Refused: the total is already ${total}`);
    return counter.decide(command, total);
  },
};

/** Tops the total up to 10: nothing to record once it is there. */
const upToTen: Decider<{ n: number }, Counted, number> = {
  ...counter,
  decide: (_, total) => (total >= 10 ? [] : counter.decide({ n: 10 - total }, total)),
};

const request = (): LedgerRequest => ({
  actor: { id: 'tester', roles: ['manager'], organizationId: null },
  correlationId: randomUUID(),
  command: 'Count',
  payload: {},
  now: new Date(),
});

describe('Ledger on PostgreSQL', () => {
  let database: TestDatabase;
  const pools: pg.Pool[] = [];

  /** A process of its own: its own pool, store, kept states and turns. */
  function process() {
    const pool = new pg.Pool({ connectionString: database.url, max: 5 });
    pools.push(pool);
    const store = new PostgresEventStore(pool, { pollIntervalMs: 20 });
    const folds = new FoldedStreams();
    const ledger = new Ledger(store, folds, new StreamTurns());
    const count = (streamId: string, n: number) =>
      ledger.record(request(), (transaction) =>
        transaction.decide(counter, streamId, { n }, '2025-01-01').then(() => undefined),
      );
    return { store, folds, ledger, count };
  }

  const totalsBefore = async (streamId: string) => {
    const { store } = process();
    const events = (await store.readStream(streamId)) as RecordedEvent<
      'Counted',
      Counted['data']
    >[];
    return events.map(({ data }) => data.totalBefore);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, eventStoreMigrations);
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await database.drop();
  });

  it('decides a later command on the kept state, reading only the event it was kept at', async () => {
    const { store, count } = process();
    const streamId = `counter-${randomUUID()}`;
    for (let n = 1; n <= 30; n++) await count(streamId, n);

    const read = jest.spyOn(store, 'readStream');
    calls.evolve = 0;
    await count(streamId, 100);

    const reads = await Promise.all(read.mock.results.map(({ value }) => value));
    expect(read.mock.calls).toEqual([[streamId, { fromRevision: 29 }]]);
    expect(reads.map((events) => (events as RecordedEvent[]).length)).toEqual([1]);
    // Only the new event is folded, to keep the state after the commit.
    expect(calls.evolve).toBe(1);
    expect((await totalsBefore(streamId)).at(-1)).toBe((30 * 31) / 2);
  });

  it('reads ahead a kept stream from its kept revision, and folds only what follows it', async () => {
    const { store, ledger, count } = process();
    const [streamId, fresh] = [`counter-${randomUUID()}`, `counter-${randomUUID()}`];
    for (let n = 1; n <= 20; n++) await count(streamId, n);
    calls.evolve = 0;
    const read = jest.spyOn(store, 'readStream');
    const readWhole = jest.spyOn(store, 'readStreams');
    await ledger.record(request(), async (transaction) => {
      await transaction.readAhead([streamId, fresh]);
      await transaction.decide(counter, streamId, { n: 100 }, '2025-01-01');
    });
    expect(read.mock.calls).toEqual([[streamId, { fromRevision: 19 }]]);
    expect(readWhole.mock.calls).toEqual([[[fresh]]]);
    expect(calls.evolve).toBe(1);
    expect((await totalsBefore(streamId)).at(-1)).toBe(210);
  });

  it('keeps the state of a decider that a committing command did not use', async () => {
    const { store, ledger, count } = process();
    const streamId = `counter-${randomUUID()}`;
    for (let n = 1; n <= 5; n++) await count(streamId, n);
    await ledger.record(request(), async (transaction) => {
      await transaction.state(largest, streamId);
    });
    await count(streamId, 6);
    const read = jest.spyOn(store, 'readStream');
    let seen = 0;
    await ledger.record(request(), async (transaction) => {
      seen = await transaction.state(largest, streamId);
    });
    expect(seen).toBe(6);
    expect(read.mock.calls).toEqual([[streamId, { fromRevision: 5 }]]);
  });

  it('never decides on a kept state after another process appended to the stream', async () => {
    const first = process();
    const second = process();
    const streamId = `counter-${randomUUID()}`;
    await first.count(streamId, 1);
    await first.count(streamId, 2);
    await second.count(streamId, 10);
    await first.count(streamId, 100);
    expect(await totalsBefore(streamId)).toEqual([0, 1, 3, 13]);
  });

  it('still expects the revision it read: a write between decision and commit is decided again', async () => {
    const first = process();
    const second = process();
    const streamId = `counter-${randomUUID()}`;
    await first.count(streamId, 1);
    let attempts = 0;
    await first.ledger.record(request(), async (transaction) => {
      await transaction.decide(counter, streamId, { n: 100 }, '2025-01-01');
      if (++attempts === 1) await second.count(streamId, 10);
    });
    expect(attempts).toBe(2);
    expect(await totalsBefore(streamId)).toEqual([0, 1, 11]);
  });

  it('reads the stream from the start when the store does not hold the kept event', async () => {
    const { folds, count } = process();
    const streamId = `counter-${randomUUID()}`;
    await count(streamId, 1);
    folds.remember(streamId, {
      revision: 0,
      lastEventId: randomUUID(),
      states: new Map([[counter.evolve, 999]]),
    });
    await count(streamId, 2);
    expect(await totalsBefore(streamId)).toEqual([0, 1]);
  });

  describe('deciding optimistically (single commands)', () => {
    const optimistic = (): LedgerRequest => ({ ...request(), optimistic: true });
    const decideOn =
      <D extends Decider<{ n: number }, Counted, number>>(
        decider: D,
        streamId: string,
        n: number,
      ) =>
      (transaction: LedgerTransaction) =>
        transaction.decide(decider, streamId, { n }, '2025-01-01').then(() => undefined);

    it('reads nothing for kept streams and streams it assumes new', async () => {
      const { store, ledger, count } = process();
      const [kept, fresh] = [`counter-${randomUUID()}`, `counter-${randomUUID()}`];
      for (let n = 1; n <= 3; n++) await count(kept, n);
      const read = jest.spyOn(store, 'readStream');
      const readWhole = jest.spyOn(store, 'readStreams');

      await ledger.record(optimistic(), async (transaction) => {
        transaction.assumeNew([fresh]);
        await transaction.readAhead([kept, fresh]);
        await decideOn(counter, kept, 4)(transaction);
        await decideOn(counter, fresh, 1)(transaction);
      });

      expect(read).not.toHaveBeenCalled();
      expect(readWhole).not.toHaveBeenCalled();
      expect(await totalsBefore(kept)).toEqual([0, 1, 3, 6]);
      expect(await totalsBefore(fresh)).toEqual([0]);
    });

    it('decides again on what is stored when another process moved a kept stream', async () => {
      const here = process();
      const elsewhere = process();
      const streamId = `counter-${randomUUID()}`;
      for (let n = 1; n <= 3; n++) await here.count(streamId, n);
      await elsewhere.count(streamId, 10);

      await here.ledger.record(optimistic(), decideOn(counter, streamId, 100));

      expect(await totalsBefore(streamId)).toEqual([0, 1, 3, 6, 16]);
    });

    it('decides again when a stream it assumed new exists', async () => {
      const { ledger } = process();
      const elsewhere = process();
      const streamId = `counter-${randomUUID()}`;
      await elsewhere.count(streamId, 5);

      await ledger.record(optimistic(), async (transaction) => {
        transaction.assumeNew([streamId]);
        await decideOn(counter, streamId, 1)(transaction);
      });

      expect(await totalsBefore(streamId)).toEqual([0, 5]);
    });

    it('does not refuse on a stale kept state that the stored one would accept', async () => {
      const here = process();
      const elsewhere = process();
      const streamId = `counter-${randomUUID()}`;
      await here.count(streamId, 20);
      await elsewhere.count(streamId, -20);

      await here.ledger.record(optimistic(), decideOn(belowTen, streamId, 1));

      expect(await totalsBefore(streamId)).toEqual([0, 20, 0]);
    });

    it('does not skip a write that a stale kept state says is already done', async () => {
      const here = process();
      const elsewhere = process();
      const streamId = `counter-${randomUUID()}`;
      await here.count(streamId, 20);
      await elsewhere.count(streamId, -20);

      await here.ledger.record(optimistic(), decideOn(upToTen, streamId, 0));

      expect(await totalsBefore(streamId)).toEqual([0, 20, 0]);
    });

    it('runs a refusal or an empty decision once when it guessed nothing', async () => {
      const here = process();
      const elsewhere = process();
      const streamId = `counter-${randomUUID()}`;
      await elsewhere.count(streamId, 20);
      let runs = 0;

      await expect(
        here.ledger.record(optimistic(), (transaction) => {
          runs += 1;
          return decideOn(belowTen, streamId, 1)(transaction);
        }),
      ).rejects.toThrow('Refused');
      expect(runs).toBe(1);

      runs = 0;
      const other = `counter-${randomUUID()}`;
      await elsewhere.count(other, 10);
      const fresh = process();
      const result = await fresh.ledger.record(optimistic(), (transaction) => {
        runs += 1;
        return decideOn(upToTen, other, 0)(transaction);
      });
      expect(result.streams).toEqual([]);
      expect(runs).toBe(1);
    });

    it('decides again, and refuses, when a stream it only checks changed elsewhere', async () => {
      const here = process();
      const elsewhere = process();
      const [checked, written] = [`counter-${randomUUID()}`, `counter-${randomUUID()}`];
      await here.count(checked, 5);
      await here.count(written, 1);
      // The checked stream moves past what the command allows (like a unit merged meanwhile).
      await elsewhere.count(checked, 20);
      let runs = 0;

      await expect(
        here.ledger.record(optimistic(), async (transaction) => {
          runs += 1;
          const total = await transaction.state(counter, checked);
          if (total >= 10) throw new Error(`Refused: ${checked} is at ${total}`);
          await decideOn(counter, written, 100)(transaction);
        }),
      ).rejects.toThrow('Refused');

      expect(runs).toBe(2);
      expect(await totalsBefore(written)).toEqual([0]);
    });

    it('records an optimistic request with an Idempotency-Key once, however often repeated', async () => {
      const here = process();
      const elsewhere = process();
      const streamId = `counter-${randomUUID()}`;
      for (let n = 1; n <= 3; n++) await here.count(streamId, n);
      await elsewhere.count(streamId, 0);
      const keyed = (): LedgerRequest => ({ ...optimistic(), idempotencyKey: 'count-once' });

      const results = await Promise.all([
        here.ledger.record(keyed(), decideOn(counter, streamId, 100)),
        elsewhere.ledger.record(keyed(), decideOn(counter, streamId, 100)),
        here.ledger.record(keyed(), decideOn(counter, streamId, 100)),
      ]);
      const again = await here.ledger.record(keyed(), decideOn(counter, streamId, 100));

      expect(await totalsBefore(streamId)).toEqual([0, 1, 3, 6, 6]);
      expect(results.filter(({ alreadyRecorded }) => !alreadyRecorded)).toHaveLength(1);
      for (const result of [...results, again]) {
        expect(result.streams).toEqual([{ streamId, revision: 4 }]);
      }
      expect(again.alreadyRecorded).toBe(true);
    });

    it('forgets every kept state when a stream turns out shorter than kept', async () => {
      const { folds, ledger, count } = process();
      const [streamId, other] = [`counter-${randomUUID()}`, `counter-${randomUUID()}`];
      await count(streamId, 1);
      await count(other, 1);
      expect(folds.get(other)).toBeDefined();
      // As after a restore that lost the tail: the store holds revision 0, the state says 5.
      folds.remember(streamId, {
        revision: 5,
        lastEventId: randomUUID(),
        states: new Map([[counter.evolve, 999]]),
      });

      await ledger.record(optimistic(), decideOn(counter, streamId, 2));

      expect(await totalsBefore(streamId)).toEqual([0, 1]);
      expect(folds.get(other)).toBeUndefined();
    });

    it('forgets every kept state when the store fails', async () => {
      const { folds, ledger, count } = process();
      const streamId = `counter-${randomUUID()}`;
      await count(streamId, 1);
      expect(folds.size().streams).toBe(1);

      await expect(
        ledger.record(optimistic(), () => Promise.reject(new Error('Connection terminated'))),
      ).rejects.toThrow('Connection terminated');

      expect(folds.size().streams).toBe(0);
    });
  });

  it('answers a key claimed before keys were scoped to its actor only', async () => {
    const { store, ledger } = process();
    const key = randomUUID();
    const streamId = `counter-${randomUUID()}`;
    const asActor = (id: string): LedgerRequest => ({
      ...request(),
      actor: { id, roles: ['manager'], organizationId: null },
      idempotencyKey: key,
    });
    const claimed: CommandRecorded = {
      type: 'CommandRecorded',
      data: {
        idempotencyKey: key,
        requestHash: hashRequest('Count', {}),
        command: 'Count',
        streams: [{ streamId, revision: 0 }],
      },
    };
    await store.append(
      idempotencyStream(key, null),
      [
        {
          id: randomUUID(),
          ...claimed,
          occurredAt: new Date(),
          metadata: { actor: 'first', correlationId: 'c' },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const work = (n: number) => (transaction: LedgerTransaction) =>
      transaction.decide(counter, streamId, { n }, '2025-01-01').then(() => undefined);

    const retry = await ledger.record(asActor('first'), work(1));
    const another = await ledger.record(asActor('second'), work(2));
    expect(retry).toMatchObject({ alreadyRecorded: true, streams: [{ streamId, revision: 0 }] });
    expect(another).toMatchObject({ alreadyRecorded: false, streams: [{ streamId, revision: 0 }] });
    expect(await totalsBefore(streamId)).toEqual([0]);
  });

  it('lands every one of 100 concurrent compatible writes to one stream', async () => {
    const { count } = process();
    const streamId = `counter-${randomUUID()}`;
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, n) => count(streamId, n + 1)),
    );
    expect(results.filter(({ status }) => status === 'rejected')).toEqual([]);
    const totals = await totalsBefore(streamId);
    expect(totals).toHaveLength(100);
    // Each decided on every write before it: totals strictly increase.
    expect(totals.every((total, index) => index === 0 || total > totals[index - 1])).toBe(true);
  });
});
