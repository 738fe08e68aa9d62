/**
 * The nearest-rank percentile (p in 0..100) of the samples: a value that was measured, never an
 * interpolation between two. NaN when there are no samples.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (p < 0 || p > 100) throw new RangeError(`A percentile lies between 0 and 100, not ${p}`);
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export type Latency = { p50: number; p99: number; max: number; count: number };

export function latencyOf(samplesMs: readonly number[]): Latency {
  return {
    p50: percentile(samplesMs, 50),
    p99: percentile(samplesMs, 99),
    max: samplesMs.length ? samplesMs.reduce((a, b) => Math.max(a, b)) : Number.NaN,
    count: samplesMs.length,
  };
}

/** Items per second. */
export function rate(count: number, elapsedMs: number): number {
  if (elapsedMs <= 0) throw new RangeError(`An elapsed time must be positive, not ${elapsedMs} ms`);
  return (count * 1000) / elapsedMs;
}

/** Milliseconds since an arbitrary origin, monotonic and sub-millisecond. */
export function now(): number {
  return performance.now();
}
