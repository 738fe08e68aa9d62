import { describe, expect, it } from '@jest/globals';
import { PositionOutOfRange, UnreadableEvent } from './kurrentdb-errors.js';
import { toGlobalPosition, toLogPosition, toRevision } from './log-position.js';

describe('toGlobalPosition', () => {
  it("takes an event's commit position as its global position", () => {
    expect(toGlobalPosition({ commit: 4_711n, prepare: 4_711n }, 'event e')).toBe(4_711);
  });

  it('keeps the largest position a number holds exactly', () => {
    const largest = BigInt(Number.MAX_SAFE_INTEGER);
    expect(toGlobalPosition({ commit: largest, prepare: largest }, 'event e')).toBe(
      Number.MAX_SAFE_INTEGER,
    );
  });

  it('refuses a position a number cannot hold exactly', () => {
    const beyond = BigInt(Number.MAX_SAFE_INTEGER) + 1n;
    expect(() => toGlobalPosition({ commit: beyond, prepare: beyond }, 'event e')).toThrow(
      PositionOutOfRange,
    );
  });

  it('refuses an event from an explicit transaction, whose commit and prepare positions differ', () => {
    expect(() => toGlobalPosition({ commit: 900n, prepare: 850n }, 'event e')).toThrow(
      /commit position 900 differs from its prepare position 850/,
    );
  });

  it('refuses an event without a position, as servers before 22.6 send from stream reads', () => {
    expect(() => toGlobalPosition(undefined, 'event e')).toThrow(UnreadableEvent);
  });
});

describe('toLogPosition', () => {
  it('starts a read at the global position, as commit and prepare position', () => {
    expect(toLogPosition(4_711)).toEqual({ commit: 4_711n, prepare: 4_711n });
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2])('refuses %s', (position) => {
    expect(() => toLogPosition(position)).toThrow(RangeError);
  });

  it('round-trips with toGlobalPosition', () => {
    expect(toGlobalPosition(toLogPosition(123_456_789), 'event e')).toBe(123_456_789);
  });
});

describe('toRevision', () => {
  it('turns a stream revision into a number', () => {
    expect(toRevision(0n, 'event e')).toBe(0);
    expect(toRevision(41n, 'event e')).toBe(41);
  });

  it('refuses a revision out of range', () => {
    expect(() => toRevision(BigInt(Number.MAX_SAFE_INTEGER) + 1n, 'event e')).toThrow(
      UnreadableEvent,
    );
  });
});
