import { describe, expect, it } from '@jest/globals';
import { MAX_JSON_DEPTH, unsafeJsonIn } from './unsafe-json.js';

const nested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = level % 2 ? { a: value } : [value];
  return value;
};

describe('unsafeJsonIn', () => {
  it('passes ordinary values, surrogate pairs and non-Latin text included', () => {
    expect(
      unsafeJsonIn({ name: 'Hải Phòng 🏙', rows: [{ ids: ['A', 'B'] }], count: 3, none: null }),
    ).toEqual([]);
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses one more`, () => {
    expect(unsafeJsonIn(nested(MAX_JSON_DEPTH))).toEqual([]);
    expect(unsafeJsonIn(nested(MAX_JSON_DEPTH + 1))).toEqual([
      {
        field: expect.stringMatching(/^\[0\]\.a/),
        reason: expect.stringMatching(/deeper than 32/),
      },
    ]);
  });

  it('walks a value nested 1,000,000 deep without overflowing the stack', () => {
    expect(unsafeJsonIn(nested(1_000_000))).toHaveLength(1);
  });

  it.each([
    ['a NUL', { note: 'a\u0000b' }, 'note', /NUL/],
    ['a lone high surrogate', { note: 'a\ud800' }, 'note', /lone surrogate/],
    ['a lone low surrogate', { note: '\udc00a' }, 'note', /lone surrogate/],
    ['a NUL in a key', { 'no\u0000te': 1 }, 'no\\u0000te', /NUL/],
    [
      'a constructor key',
      JSON.parse('{"rows":[{"constructor":1}]}'),
      'rows[0].constructor',
      /not an accepted field/,
    ],
    [
      'a __proto__ key',
      JSON.parse('{"__proto__":{"admin":true}}'),
      '__proto__',
      /not an accepted field/,
    ],
    ['a prototype key', { prototype: 1 }, 'prototype', /not an accepted field/],
  ])('names the field holding %s', (_, value, field, reason) => {
    expect(unsafeJsonIn(value)).toEqual([{ field, reason: expect.stringMatching(reason) }]);
  });
});
