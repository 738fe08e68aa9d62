import type { RecordedEvent } from '#event-store';
import type { Projection } from './projection.js';
import { atBatchPosition } from './row-history.js';
import { type RunnerContext, runTransaction } from './runner-context.js';

/** Channel that hears one notification per committed projection batch: `{projection, position}`. */
export const PROJECTION_BATCH_CHANNEL = 'projection_batches';

export const identity = (table: string) => table;

/**
 * One transaction: lock the checkpoint row, apply the events after it, move it on. Returns
 * the new checkpoint, or 'moved' when the stored checkpoint is not where this reader was.
 * `tableName` and `checkpointName` point it at a rebuild's or a verification's shadow tables.
 */
export async function commitBatch(
  runner: RunnerContext,
  projection: Projection,
  expected: number,
  batch: RecordedEvent[],
  tableName: (table: string) => string,
  checkpointName = projection.name,
): Promise<number | 'moved'> {
  return runTransaction(runner, async (context, tx) => {
    const [row] = await tx.query(
      'SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE',
      [checkpointName],
    );
    const stored = Number(row?.position ?? 0);
    if (stored !== expected) return 'moved';
    const last = batch[batch.length - 1].position;
    await atBatchPosition(tx, last);
    await projection.apply(batch, { ...context, table: tableName });
    if (spansRecordTimes(batch)) {
      await tx.query(
        'INSERT INTO projection_batches (projection, after, last) VALUES ($1, $2, $3)',
        [checkpointName, expected, last],
      );
    }
    await tx.query(
      'UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE projection = $1',
      [checkpointName, last],
    );
    if (checkpointName === projection.name) {
      await tx.query('SELECT pg_notify($1, $2)', [
        PROJECTION_BATCH_CHANNEL,
        JSON.stringify({ projection: projection.name, position: last }),
      ]);
    }
    return last;
  });
}

/**
 * Whether a read as known at a time can fall inside the batch: a time resolves to the last
 * event recorded by then, and every event of one append shares its record time.
 */
function spansRecordTimes(batch: RecordedEvent[]): boolean {
  return batch[0].recordedAt.getTime() !== batch[batch.length - 1].recordedAt.getTime();
}
