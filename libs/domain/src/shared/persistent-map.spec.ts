import { describe, expect, it } from '@jest/globals';
import { PersistentMap } from './persistent-map.js';

describe('persistent map', () => {
  it('leaves every earlier version as it was', () => {
    const empty = PersistentMap.empty<string, number>();
    const one = empty.set('a', 1);
    const two = one.set('b', 2);
    const three = two.set('a', 3);
    expect(empty.entries()).toEqual([]);
    expect(one.entries()).toEqual([['a', 1]]);
    expect(two.entries()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(three.entries()).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
    expect([one.size, two.size, three.size]).toEqual([1, 2, 2]);
  });

  it('keeps two branches from one version apart', () => {
    const base = PersistentMap.of([['a', 1]]);
    const left = base.set('b', 2);
    const right = base.set('c', 3).set('a', 4);
    const leftAgain = left.set('d', 5);
    expect(base.toJSON()).toEqual({ a: 1 });
    expect(left.toJSON()).toEqual({ a: 1, b: 2 });
    expect(right.toJSON()).toEqual({ a: 4, c: 3 });
    expect(leftAgain.toJSON()).toEqual({ a: 1, b: 2, d: 5 });
    expect(right.has('b')).toBe(false);
  });

  it('keeps the initial empty map empty for every stream that starts from it', () => {
    const empty = PersistentMap.empty<string, number>();
    const first = empty.set('a', 1);
    const second = empty.set('b', 2);
    expect(empty.size).toBe(0);
    expect(first.toJSON()).toEqual({ a: 1 });
    expect(second.toJSON()).toEqual({ b: 2 });
  });

  it('agrees with a copied map on random writes to random versions', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const versions: [PersistentMap<number, number>, Map<number, number>][] = [
      [PersistentMap.empty(), new Map()],
    ];
    for (let step = 0; step < 2000; step++) {
      // Mostly the newest version, as a fold does; sometimes an older one, as a branch does.
      const from = random(10) < 8 ? versions.length - 1 : random(versions.length);
      const [map, model] = versions[from];
      const key = random(50);
      versions.push([map.set(key, step), new Map(model).set(key, step)]);
    }
    for (const [map, model] of versions) expect(map.entries()).toEqual([...model.entries()]);
  });
});
