import type { DataSource } from 'typeorm';
import { announcement } from './batch-announcer.js';
import { ASYNCHRONOUS_COMMIT } from './projection-batch.js';

type Move = {
  checkpoint: string;
  expected: number;
  last: number;
  /** The batch's events span record times: it is recorded in projection_batches. */
  spans: boolean;
  /** The move notifies the batch channel when it commits. */
  announce: boolean;
  done: (moved: boolean) => void;
  failed: (error: unknown) => void;
};

/**
 * Moves the checkpoints of batches their projections ignored (no SQL asked for), each only from
 * where its loop expected it. Most of a commit's batches are such moves, one per projection at
 * each commit: the first goes at once, and those asked for while a statement runs go together in
 * the next one, as group commit does. One statement at a time, so a checkpoint's moves stay in
 * order; a checkpoint asked for twice before a statement goes (a loop does not, but a rebuild's
 * shadow might share its name with nothing else) waits for the statement after.
 *
 * Each move commits on its own terms: `synchronous_commit` off, as every batch's (see
 * `projection-batch.ts`).
 */
export class CheckpointMoves {
  private pending: Move[] = [];
  private sending = false;

  constructor(private readonly dataSource: DataSource) {}

  /** Whether the checkpoint moved: false when it was not at `expected` (or is not there). */
  move(
    checkpoint: string,
    expected: number,
    last: number,
    { spans, announce }: { spans: boolean; announce: boolean },
  ): Promise<boolean> {
    return new Promise((done, failed) => {
      this.pending.push({ checkpoint, expected, last, spans, announce, done, failed });
      if (!this.sending) void this.send();
    });
  }

  private async send(): Promise<void> {
    this.sending = true;
    try {
      while (this.pending.length > 0) {
        const group: Move[] = [];
        const later: Move[] = [];
        for (const move of this.pending) {
          (group.some((one) => one.checkpoint === move.checkpoint) ? later : group).push(move);
        }
        this.pending = later;
        // In one order, as rows are locked in: two processes' groups (a leadership changing
        // hands) then wait for each other rather than deadlock, as far as the plan follows it.
        group.sort((a, b) => (a.checkpoint < b.checkpoint ? -1 : 1));
        try {
          const rows: { projection: string }[] = await this.dataSource.query(
            `WITH m AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::boolean[],
                                             $5::boolean[])
                          AS m (projection, expected, last, spans, announce)),
                  moved AS (UPDATE projection_checkpoints c SET position = m.last, updated_at = now()
                              FROM m WHERE c.projection = m.projection AND c.position = m.expected
                            RETURNING c.projection),
                  batch AS (INSERT INTO projection_batches (projection, after, last)
                            SELECT m.projection, m.expected, m.last FROM m JOIN moved USING (projection)
                             WHERE m.spans)
             SELECT projection, ${ASYNCHRONOUS_COMMIT},
                    CASE WHEN m.announce THEN ${announcement('projection', 'm.last')} END
               FROM moved JOIN m USING (projection)`,
            [
              group.map((move) => move.checkpoint),
              group.map((move) => move.expected),
              group.map((move) => move.last),
              group.map((move) => move.spans),
              group.map((move) => move.announce),
            ],
          );
          const moved = new Set(rows.map((row) => row.projection));
          for (const move of group) move.done(moved.has(move.checkpoint));
        } catch (error) {
          for (const move of group) move.failed(error);
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
