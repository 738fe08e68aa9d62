import { describe, expect, it } from '@jest/globals';
import { type Evolve, FoldedStreams } from './folded-streams.js';

const sum: Evolve = (total: number, n: number) => total + n;
const count: Evolve = (total: number) => total + 1;
const at = (revision: number, state: unknown, evolve = sum) => ({
  revision,
  lastEventId: `event-${revision}`,
  states: new Map([[evolve, state]]),
});

describe('FoldedStreams', () => {
  it('lets the least recently used streams go once the events they stand for pass the bound', () => {
    const folds = new FoldedStreams(100);
    folds.remember('a', at(39, 'a'));
    folds.remember('b', at(39, 'b'));
    folds.get('a');
    folds.remember('c', at(29, 'c'));
    expect(folds.get('b')).toBeUndefined();
    expect(folds.get('a')?.states.get(sum)).toBe('a');
    expect(folds.get('c')?.states.get(sum)).toBe('c');
    expect(folds.size()).toEqual({ streams: 2, events: 70 });
  });

  it('keeps the newer revision of a stream, and other deciders beside it at the same one', () => {
    const folds = new FoldedStreams();
    folds.remember('a', at(5, 'newer'));
    folds.remember('a', at(3, 'older'));
    folds.remember('a', at(5, 6, count));
    const kept = folds.get('a')!;
    expect(kept.revision).toBe(5);
    expect([kept.states.get(sum), kept.states.get(count)]).toEqual(['newer', 6]);
    folds.remember('a', at(7, 'newest'));
    expect([...folds.get('a')!.states.values()]).toEqual(['newest']);
    expect(folds.size()).toEqual({ streams: 1, events: 8 });
  });
});
