import { describe, expect, it } from '@jest/globals';
import { type Decider, type DomainEvent } from '#domain';
import { type EventStore, type RecordedEvent } from '#event-store';
import { LedgerTransaction } from './ledger-transaction.js';

type Counted = DomainEvent<'Counted', { n: number }>;

/** Counts each fold step, so a test can tell one fold per event from one fold per decision. */
function countingDecider() {
  const calls = { evolve: 0 };
  const decider: Decider<{ n: number }, Counted, number> = {
    initialState: 0,
    evolve: (total, event) => {
      calls.evolve += 1;
      return total + event.data.n;
    },
    decide: ({ n }) => [{ type: 'Counted', data: { n } }],
  };
  return { decider, calls };
}

/** A manager's transaction on `store`. */
const transactionOn = (store: EventStore) =>
  new LedgerTransaction(
    store,
    { id: 'test', roles: ['manager'], organizationId: null },
    'correlation',
    new Date(),
  );

/** Only what a transaction reads before it commits: a stream that does not exist yet. */
const emptyStore = { readStream: async () => [] } as unknown as EventStore;

describe('LedgerTransaction', () => {
  it('folds each event of a stream once, however many decisions a batch makes on it', async () => {
    const { decider, calls } = countingDecider();
    const transaction = transactionOn(emptyStore);
    for (let n = 1; n <= 200; n++) {
      await transaction.decide(decider, 'counter-1', { n }, '2024-01-01');
    }
    expect(await transaction.state(decider, 'counter-1')).toBe((200 * 201) / 2);
    expect(calls.evolve).toBe(200);
    expect(transaction.writes()[0].events).toHaveLength(200);
  });

  it('reads ahead in one call, and decides on what it read and staged since, in the order used', async () => {
    const { decider } = countingDecider();
    const recorded = (streamId: string, ns: number[]) =>
      ns.map((n, revision) => ({ streamId, revision, type: 'Counted', data: { n } }));
    const stored = new Map([['counter-a', recorded('counter-a', [5, 6])]]);
    const calls: string[][] = [];
    const store = {
      readStreams: async (ids: string[]) => {
        calls.push(ids);
        return new Map(ids.map((id) => [id, (stored.get(id) ?? []) as RecordedEvent[]]));
      },
      readStream: async () => {
        throw new Error('every stream was read ahead');
      },
    } as unknown as EventStore;
    const transaction = transactionOn(store);

    await transaction.readAhead(['counter-a', 'counter-b', 'counter-a']);
    await transaction.decide(decider, 'counter-b', { n: 1 }, '2024-01-01');
    await transaction.readAhead(['counter-b', 'counter-a']);
    await transaction.decide(decider, 'counter-b', { n: 2 }, '2024-01-01');
    await transaction.decide(decider, 'counter-a', { n: 3 }, '2024-01-01');

    expect(calls).toEqual([['counter-a', 'counter-b']]);
    expect(await transaction.state(decider, 'counter-a')).toBe(14);
    expect(await transaction.state(decider, 'counter-b')).toBe(3);
    expect(
      transaction.writes().map(({ streamId, expectedRevision, events }) => ({
        streamId,
        expectedRevision,
        staged: events.map(({ data }) => data),
      })),
    ).toEqual([
      { streamId: 'counter-b', expectedRevision: 'no_stream', staged: [{ n: 1 }, { n: 2 }] },
      { streamId: 'counter-a', expectedRevision: 1, staged: [{ n: 3 }] },
    ]);
  });
  it('keeps every event staged on a stream whose first uses overlap', async () => {
    const { decider } = countingDecider();
    let reads = 0;
    const slowStore = {
      readStream: async () => {
        reads += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return [];
      },
    } as unknown as EventStore;
    const transaction = transactionOn(slowStore);
    await Promise.all([
      transaction.stage('counter-1', [{ type: 'Counted', data: { n: 1 } }], '2024-01-01'),
      transaction.stage('counter-1', [{ type: 'Counted', data: { n: 2 } }], '2024-01-01'),
    ]);
    expect(reads).toBe(1);
    const [write, ...others] = transaction.writes();
    expect(others).toEqual([]);
    expect(write.expectedRevision).toBe('no_stream');
    expect(write.events.map(({ data }) => data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await transaction.state(decider, 'counter-1')).toBe(3);
  });

  it('checks the streams it read to decide but does not write, at the revision read', async () => {
    const { decider } = countingDecider();
    const unit = [{ streamId: 'unit-1', revision: 4, type: 'Counted', data: { n: 1 } }];
    const store = {
      readStream: async (streamId: string) => (streamId === 'unit-1' ? unit : []),
    } as unknown as EventStore;
    const transaction = transactionOn(store);
    expect(await transaction.exists('unit-1')).toBe(true);
    expect(await transaction.exists('unit-2')).toBe(false);
    expect(transaction.writes()).toEqual([]);

    await transaction.decide(decider, 'counter-1', { n: 2 }, '2024-01-01');
    expect(
      transaction.writes().map(({ streamId, expectedRevision, events }) => ({
        streamId,
        expectedRevision,
        events: events.length,
      })),
    ).toEqual([
      { streamId: 'unit-1', expectedRevision: 4, events: 0 },
      { streamId: 'unit-2', expectedRevision: 'no_stream', events: 0 },
      { streamId: 'counter-1', expectedRevision: 'no_stream', events: 1 },
    ]);
  });
});
