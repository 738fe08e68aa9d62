import { describe, expect, it } from '@jest/globals';
import { latencyOf, percentile, rate } from './statistics.js';

describe('percentile', () => {
  it('picks a measured value by nearest rank, never an interpolation', () => {
    const samples = [15, 20, 35, 40, 50];
    expect(percentile(samples, 30)).toBe(20);
    expect(percentile(samples, 40)).toBe(20);
    expect(percentile(samples, 50)).toBe(35);
    expect(percentile(samples, 100)).toBe(50);
    expect(percentile(samples, 0)).toBe(15);
  });

  it('does not depend on the order of the samples', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => i + 1);
    const shuffled = [...samples].sort(() => Math.random() - 0.5);
    expect(percentile(shuffled, 99)).toBe(990);
    expect(percentile(shuffled, 50)).toBe(500);
  });

  it('has no value without samples, and refuses a percentile outside 0..100', () => {
    expect(percentile([], 99)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('latencyOf', () => {
  it('summarises samples as p50, p99, max and count', () => {
    const samples = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(latencyOf(samples)).toEqual({ p50: 100, p99: 198, max: 200, count: 200 });
  });

  it('handles more samples than a spread argument list could hold', () => {
    const samples = new Array<number>(500_000).fill(1);
    expect(latencyOf(samples).max).toBe(1);
  });
});

describe('rate', () => {
  it('counts per second', () => {
    expect(rate(500, 250)).toBe(2000);
  });

  it('refuses an elapsed time of zero', () => {
    expect(() => rate(1, 0)).toThrow(RangeError);
  });
});
