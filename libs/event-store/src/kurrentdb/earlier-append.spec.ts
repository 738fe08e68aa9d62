import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventIdReused } from '../errors.js';
import type { StreamWrite } from '../event-store.js';
import { newEvent } from '../testing/event-store.contract.js';
import { findEarlierAppend, toAppendResult, type StoredEventId } from './earlier-append.js';

function writeOf(count: number): StreamWrite {
  return {
    streamId: 'campaign-7',
    events: Array.from({ length: count }, () => newEvent()),
    expectedRevision: 'any',
  };
}

const storedAs = (write: StreamWrite, firstRevision: number, appendId?: string): StoredEventId[] =>
  write.events.map((event, index) => ({
    id: event.id,
    revision: firstRevision + index,
    position: 1_000 * (firstRevision + index + 1),
    appendId,
  }));

const other = (revision: number): StoredEventId => ({
  id: randomUUID(),
  revision,
  position: 1_000 * (revision + 1),
});

describe('findEarlierAppend', () => {
  it('finds nothing when none of the ids is stored', () => {
    expect(findEarlierAppend(writeOf(2), [other(0), other(1)])).toBeUndefined();
    expect(findEarlierAppend(writeOf(2), [])).toBeUndefined();
  });

  it("gives the earlier append's last revision and position when all its events are stored", () => {
    const write = writeOf(3);
    expect(
      findEarlierAppend(write, [other(4), ...storedAs(write, 5, 'first-call'), other(8)]),
    ).toEqual({ revision: 7, position: 8_000, appendId: 'first-call' });
  });

  it('finds them whatever order they were read in, e.g. backwards', () => {
    const write = writeOf(3);
    expect(findEarlierAppend(write, storedAs(write, 0).reverse())).toMatchObject({ revision: 2 });
  });

  it('compares ids regardless of case', () => {
    const write = writeOf(1);
    const [stored] = storedAs(write, 0);
    expect(findEarlierAppend(write, [{ ...stored, id: stored.id.toUpperCase() }])).toBeDefined();
  });

  it('refuses ids of which only some are stored', () => {
    const write = writeOf(3);
    expect(() => findEarlierAppend(write, storedAs(write, 0).slice(0, 2))).toThrow(EventIdReused);
  });

  it('refuses ids stored apart from each other or in another order', () => {
    const write = writeOf(2);
    const [first, second] = storedAs(write, 0);
    expect(() => findEarlierAppend(write, [first, other(1), { ...second, revision: 2 }])).toThrow(
      EventIdReused,
    );
    expect(() =>
      findEarlierAppend(write, [
        { ...first, revision: 1 },
        { ...second, revision: 0 },
      ]),
    ).toThrow(EventIdReused);
  });
});

describe('toAppendResult', () => {
  const earlier = { revision: 7, position: 8_000, appendId: 'first-call' };

  it('reports events written by this very call as new', () => {
    expect(toAppendResult('campaign-7', earlier, 'first-call')).toEqual({
      streamId: 'campaign-7',
      revision: 7,
      position: 8_000,
      alreadyRecorded: false,
    });
  });

  it('reports events written by another call as already recorded', () => {
    expect(toAppendResult('campaign-7', earlier, 'retry').alreadyRecorded).toBe(true);
    expect(
      toAppendResult('campaign-7', { ...earlier, appendId: undefined }, 'retry'),
    ).toMatchObject({ alreadyRecorded: true });
  });
});
