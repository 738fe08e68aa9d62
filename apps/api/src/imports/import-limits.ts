import { setImmediate as nextTurn } from 'node:timers/promises';
import { BatchTimeLimitExceeded } from './batch-errors.js';

/** What one `POST /imports` may ask of the service (IMPORT_MAX_ROWS, IMPORT_TIME_LIMIT_MS). */
export class ImportLimits {
  constructor(
    readonly maxRows: number,
    readonly timeLimitMs: number,
  ) {}
}

/**
 * How long a batch may hold the event loop before other requests get a turn. Short enough
 * that `/health` and the other clients barely notice a batch, long enough that the turns
 * themselves cost nothing measurable.
 */
export const SLICE_MS = 10;

/**
 * The time one batch may take, spent in slices: validating and deciding run in memory without
 * awaiting I/O, so without turns a batch of 10,000 rows would keep every other request,
 * `/health` included, waiting until it ends.
 */
export class ImportBudget {
  private readonly deadline: number;
  private sliceStartedAt = performance.now();

  constructor(
    private readonly timeLimitMs: number,
    startedAt = performance.now(),
  ) {
    this.deadline = startedAt + timeLimitMs;
  }

  /** Gives the event loop a turn when the current slice is spent; throws past the deadline. */
  async turn(done: number, total: number): Promise<void> {
    const now = performance.now();
    if (now >= this.deadline) throw new BatchTimeLimitExceeded(this.timeLimitMs, done, total);
    if (now - this.sliceStartedAt < SLICE_MS) return;
    await nextTurn();
    this.sliceStartedAt = performance.now();
  }
}
