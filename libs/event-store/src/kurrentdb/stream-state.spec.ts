import { describe, expect, it } from '@jest/globals';
import { ANY, NO_STREAM, STREAM_EXISTS } from '@kurrent/kurrentdb-client';
import { toActualRevision, toExactStreamState, toStreamState } from './stream-state.js';

describe('toStreamState', () => {
  it.each([
    ['no_stream', NO_STREAM],
    ['stream_exists', STREAM_EXISTS],
    ['any', ANY],
    [0, 0n],
    [41, 41n],
  ] as const)('maps the expected revision %s to the stream state %s', (expected, state) => {
    expect(toStreamState(expected)).toBe(state);
  });
});

describe('toExactStreamState', () => {
  it('expects no stream where none was seen, and else the revision seen', () => {
    expect(toExactStreamState(-1)).toBe(NO_STREAM);
    expect(toExactStreamState(0)).toBe(0n);
    expect(toExactStreamState(7)).toBe(7n);
  });
});

describe('toActualRevision', () => {
  it('reports a missing stream as -1 and an existing one by its revision', () => {
    expect(toActualRevision(NO_STREAM)).toBe(-1);
    expect(toActualRevision(0n)).toBe(0);
    expect(toActualRevision(12n)).toBe(12);
  });

  it('reports deleted (-5) and tombstoned (-6) streams as missing', () => {
    expect(toActualRevision(-5n)).toBe(-1);
    expect(toActualRevision(-6n)).toBe(-1);
  });
});
