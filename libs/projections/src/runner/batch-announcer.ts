import type { DataSource } from 'typeorm';
import type { RunnerLog } from './runner-context.js';

/** Channel that hears one notification per committed projection batch: `{projection, position}`. */
export const PROJECTION_BATCH_CHANNEL = 'projection_batches';

/**
 * The notification of a batch committed, on `PROJECTION_BATCH_CHANNEL`: sent by the commit
 * itself, so it is never lost while the commit stands, and heard as soon as the commit is.
 */
export const announcement = (projection: string, position: string) =>
  `pg_notify('${PROJECTION_BATCH_CHANNEL}', json_build_object('projection', ${projection}, 'position', ${position})::text)`;

/** The first wait before an announcement that failed is sent again; it doubles up to the max. */
const RETRY_MS = 100;
const RETRY_MAX_MS = 5_000;

/**
 * Tells the batch channel where the projections of a runner stand when their live loops start
 * (a commit whose notification a crash cut off is so made good by the next leader), in one
 * statement for all those pending, never two statements at once. The batches themselves notify
 * with their commits (`announcement`, in `commitBatch` and `CheckpointMoves`).
 *
 * Why batches used to announce through here, after their commits: PostgreSQL serialises every
 * committing transaction that notified on one database-wide lock, held through its WAL flush,
 * and fifteen projections each committing a notifying transaction per batch queued on that
 * lock (14 ms for a one-statement batch at 200 appends/s). Since batches commit without waiting
 * for the flush (`synchronous_commit` off), the lock is held for no flush, and a notification
 * sent by the commit saves each batch a round trip after it.
 *
 * A notification is a hint that the read models moved on, not the record of it (the
 * checkpoints are).
 */
export class BatchAnnouncer {
  private readonly pending = new Map<string, number>();
  private sending?: Promise<void>;
  private retry?: NodeJS.Timeout;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly log?: RunnerLog,
    private readonly retryMs = RETRY_MS,
  ) {}

  announce(projection: string, position: number): void {
    this.pending.set(projection, Math.max(this.pending.get(projection) ?? 0, position));
    this.closed = false; // a runner started again
    this.start();
  }

  /** Resolves when what was announced so far has been sent (or has failed to be). */
  async settled(): Promise<void> {
    while (this.sending) await this.sending;
  }

  /** Sends what is pending once more, then stops retrying: for a runner that stops. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    await this.settled();
  }

  private start(): void {
    if (this.sending || this.pending.size === 0) return;
    clearTimeout(this.retry);
    this.retry = undefined;
    this.sending = this.send();
  }

  private async send(): Promise<void> {
    while (this.pending.size > 0) {
      const commits = [...this.pending];
      this.pending.clear();
      try {
        await this.dataSource.query(
          'SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload',
          [
            PROJECTION_BATCH_CHANNEL,
            commits.map(([projection, position]) => JSON.stringify({ projection, position })),
          ],
        );
        this.failures = 0;
      } catch (error) {
        // Kept for the next try, unless a later position has come meanwhile.
        for (const [projection, position] of commits) {
          if (!this.pending.has(projection)) this.pending.set(projection, position);
        }
        this.log?.warn(
          `Could not announce projection batches: ${error instanceof Error ? error.message : String(error)}`,
        );
        this.failures++;
        break;
      }
    }
    this.sending = undefined;
    // A quiet log brings no next announcement: what failed is tried again by itself, the
    // wait doubling up to RETRY_MAX_MS while it keeps failing.
    if (this.pending.size > 0 && !this.closed) {
      const wait = Math.min(this.retryMs * 2 ** (this.failures - 1), RETRY_MAX_MS);
      this.retry = setTimeout(() => this.start(), wait);
      this.retry.unref();
    }
  }
}
