import type { RecordedEvent } from '#event-store';
import pg from 'pg';
import { positionLiteral } from '../queries/log-lag.js';
import { announcement } from './batch-announcer.js';
import type { Projection } from './projection.js';
import { transactionOnDemand } from './projection-transaction.js';
import { atBatchPosition } from './row-history.js';
import type { RunnerContext } from './runner-context.js';

export const identity = (table: string) => table;

/**
 * A batch's transaction commits without waiting for its WAL to reach the disk. A read model
 * is derived data, and its checkpoint commits with it: a crash of the database that loses the
 * last such commits (at most `wal_writer_delay`, 200 ms by default, and none before a later
 * synchronous commit of any kind, such as an append's) loses their checkpoint too, and the
 * loop applies those events again, to the same rows. Fifteen projections each waiting for
 * their own flush at every batch queued on the WAL's write lock.
 */
export const ASYNCHRONOUS_COMMIT = `set_config('synchronous_commit', 'off', true)`;

/** The stored checkpoint was not where this reader was: someone else (a rebuild) moved it. */
class CheckpointMoved extends Error {}

/**
 * Applies a batch and moves the checkpoint past it, atomically. Returns the new checkpoint,
 * or 'moved' when the stored checkpoint is not where this reader was. `tableName` and
 * `checkpointName` point it at a rebuild's or a verification's shadow tables.
 *
 * The transaction begins when `apply` first asks for SQL: the BEGIN and one statement that
 * locks the checkpoint row, checks it and stamps the batch position for the row history go in
 * one round trip. A batch the projection ignores (no SQL asked for, as for most projections and
 * most events) moves the checkpoint without a transaction, from where it was expected (so a
 * moved checkpoint is seen without the lock), in one statement with the other projections'
 * moves of the moment (`CheckpointMoves`). A transaction
 * ends with the statement that moves the checkpoint and the COMMIT, in one round trip. Either
 * way the move records a batch that spans record times. With `fresh` (a rebuild's tables,
 * which get each batch once), `apply` may also `copy` rows in. Round trips per batch: 1 (shared)
 * for an ignored one, 2 plus `apply`'s for the rest (7 plus `apply`'s at first, 4 before the BEGIN and
 * COMMIT shared theirs). With `announce` (the live loop's batches), the move notifies the batch
 * channel as it commits.
 */
export async function commitBatch(
  runner: RunnerContext,
  projection: Projection,
  expected: number,
  batch: RecordedEvent[],
  tableName: (table: string) => string,
  checkpointName = projection.name,
  { fresh = false, announce = false }: { fresh?: boolean; announce?: boolean } = {},
): Promise<number | 'moved'> {
  const last = batch[batch.length - 1].position;
  // Written into the statements that share a round trip with BEGIN and COMMIT (no parameters).
  const literal = {
    name: pg.escapeLiteral(checkpointName),
    expected: positionLiteral(expected),
    last: positionLiteral(last),
  };
  try {
    return await transactionOnDemand(
      runner.dataSource,
      async (session) => {
        await projection.apply(batch, {
          query: session.query,
          table: tableName,
          ...(fresh ? { copy: session.copy } : {}),
        });
        if (session.begun) {
          const moved = await session.commitWith(batchEndInTransaction(literal, batch, announce));
          // Cannot happen: the row was found and locked when the transaction began.
          if (moved.length === 0) throw missingCheckpoint(checkpointName);
          return last;
        }
        const moved = await runner.moves.move(checkpointName, expected, last, {
          spans: spansRecordTimes(batch),
          announce,
        });
        if (!moved) {
          await assertCheckpointRow(runner, checkpointName);
          throw new CheckpointMoved();
        }
        return last;
      },
      {
        opening: {
          sql: `SELECT position, ${atBatchPosition(`'${literal.last}'`)}, ${ASYNCHRONOUS_COMMIT}
                  FROM projection_checkpoints WHERE projection = ${literal.name} FOR UPDATE`,
          check: ([row]) => {
            if (!row) throw missingCheckpoint(checkpointName);
            if (Number((row as { position: string }).position) !== expected)
              throw new CheckpointMoved();
          },
        },
        log: (message) => runner.settings.log?.error(`Projection transaction: ${message}`),
      },
    );
  } catch (error) {
    if (error instanceof CheckpointMoved) return 'moved';
    throw error;
  }
}

/**
 * A checkpoint row that is not there is an error, not a move: the loop would otherwise
 * resubscribe, find it missing again and spin. As an error, it is retried with backoff.
 */
const missingCheckpoint = (checkpoint: string) =>
  new Error(`The checkpoint row of ${checkpoint} is missing from projection_checkpoints`);

async function assertCheckpointRow(runner: RunnerContext, checkpoint: string): Promise<void> {
  const rows: unknown[] = await runner.dataSource.query(
    'SELECT 1 FROM projection_checkpoints WHERE projection = $1',
    [checkpoint],
  );
  if (rows.length === 0) throw missingCheckpoint(checkpoint);
}

/**
 * The statement that ends a batch's transaction, before its COMMIT, with its values written in.
 * The row is locked and was checked when the transaction began, so it is where `expected`
 * says; should it not be, the move writes NULL into the NOT NULL column and fails, and nothing
 * commits. It answers one row.
 */
function batchEndInTransaction(
  { name, expected, last }: { name: string; expected: string; last: string },
  batch: RecordedEvent[],
  announce: boolean,
): string {
  const record = spansRecordTimes(batch)
    ? `, batch AS (INSERT INTO projection_batches (projection, after, last)
                   SELECT projection, ${expected}, ${last} FROM moved)`
    : '';
  return `WITH moved AS (UPDATE projection_checkpoints
                            SET position = CASE WHEN position = ${expected} THEN ${last} END,
                                updated_at = now()
                          WHERE projection = ${name} RETURNING projection)${record}
          SELECT projection${announce ? `, ${announcement('projection', last)}` : ''} FROM moved`;
}

/**
 * Whether a read as known at a time can fall inside the batch: a time resolves to the last
 * event recorded by then, and every event of one append shares its record time.
 */
function spansRecordTimes(batch: RecordedEvent[]): boolean {
  return batch[0].recordedAt.getTime() !== batch[batch.length - 1].recordedAt.getTime();
}
