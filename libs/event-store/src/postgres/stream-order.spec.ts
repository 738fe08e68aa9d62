import { describe, expect, it } from '@jest/globals';
import { compareCodePoints } from './stream-order.js';

describe('the order streams are locked in', () => {
  it('sorts by code point, as PostgreSQL sorts COLLATE "C" text', () => {
    const ids = ['unit-a', 'unit-B', 'unit-', 'unit-\uffff', 'unit-\u{1f600}', 'unit-é', 'unit-Z'];
    expect([...ids].sort(compareCodePoints)).toEqual([
      'unit-',
      'unit-B',
      'unit-Z',
      'unit-a',
      'unit-é',
      'unit-\uffff',
      'unit-\u{1f600}',
    ]);
  });

  it('agrees with the UTF-8 bytes of the ids', () => {
    const ids = ['x\ud7ff', 'x\ue000', 'x\u{10000}', 'x\u{10ffff}', 'xa', 'x'];
    const byBytes = [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...ids].sort(compareCodePoints)).toEqual(byBytes);
  });
});
