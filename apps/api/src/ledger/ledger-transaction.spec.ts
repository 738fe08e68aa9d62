import { describe, expect, it } from '@jest/globals';
import { type Decider, type DomainEvent } from '#domain';
import { type EventStore } from '#event-store';
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

/** Only what a transaction reads before it commits: a stream that does not exist yet. */
const emptyStore = { readStream: async () => [] } as unknown as EventStore;

describe('LedgerTransaction', () => {
  it('folds each event of a stream once, however many decisions a batch makes on it', async () => {
    const { decider, calls } = countingDecider();
    const transaction = new LedgerTransaction(
      emptyStore,
      { id: 'test', roles: ['manager'], organizationId: null },
      'correlation',
      new Date(),
    );
    for (let n = 1; n <= 200; n++) {
      await transaction.decide(decider, 'counter-1', { n }, '2024-01-01');
    }
    expect(await transaction.state(decider, 'counter-1')).toBe((200 * 201) / 2);
    expect(calls.evolve).toBe(200);
    expect(transaction.writes()[0].events).toHaveLength(200);
  });
});
