import { ADVISORY_LOCKS } from '#database';
import type { EventStore } from '#event-store';
import type { DataSource } from 'typeorm';
import type { Projection } from '../runner/projection.js';
import { projectionTransaction } from '../runner/projection-transaction.js';
import { hasRowHistory, historyTable } from '../runner/row-history.js';
import { knownAtPrefix } from './known-at-schema.js';

/**
 * A read as known at a time before the retention horizon: the row history it needs was pruned
 * (`KNOWN_AT_HISTORY_DAYS`). Answered 410, naming the horizon, never with figures made from
 * a partial history.
 */
export class KnownAtBeyondRetention extends Error {
  constructor(
    readonly position: number,
    readonly horizonPosition: number,
    readonly horizon: Date,
  ) {
    super(
      `Reads as known at a time reach back to ${horizon.toISOString()} (log position ` +
        `${horizonPosition}): the read models' history before it was pruned ` +
        `(KNOWN_AT_HISTORY_DAYS); position ${position} is earlier`,
    );
    this.name = 'KnownAtBeyondRetention';
  }
}

/** The retention horizon recorded by the last pruning, if any history was pruned. */
export type RetentionHorizon = { position: number; time: Date };

export async function retentionHorizon(
  db: Pick<DataSource, 'query'>,
  lock = false,
): Promise<RetentionHorizon | undefined> {
  const [row] = await db.query(
    `SELECT horizon_position, horizon FROM known_at_retention ${lock ? 'FOR SHARE' : ''}`,
  );
  return row ? { position: Number(row.horizon_position), time: row.horizon } : undefined;
}

/** What a pruning did. */
export type Pruned = {
  /** Reads as known at a position below this now answer `KnownAtBeyondRetention`. */
  horizonPosition: number;
  /** History rows deleted. */
  rows: number;
  /** Snapshots dropped (made at positions below the horizon). */
  snapshots: number;
};

const PRUNE_LOCK = [...ADVISORY_LOCKS.knownAtPrune];

/**
 * Drops the snapshot made at `position`: its catalog rows (the snapshot's and, by cascade, its
 * parts') and every schema of it, found by name, so none is left behind by a part being made
 * or copied meanwhile (those hold the snapshot's row until they commit, and this locks it).
 */
export async function dropSnapshot(tx: Pick<DataSource, 'query'>, position: number): Promise<void> {
  await tx.query('SELECT FROM known_at_snapshots WHERE position = $1 FOR UPDATE', [position]);
  const schemas: { name: string }[] = await tx.query(
    `SELECT nspname AS name FROM pg_namespace
      WHERE nspname = $1 OR starts_with(nspname, $2)`,
    [`known_at_${position}`, knownAtPrefix(position)],
  );
  for (const { name } of schemas) await tx.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  await tx.query('DELETE FROM known_at_snapshots WHERE position = $1', [position]);
}

/**
 * Deletes the read models' row history that only reads as known at a time before `before`
 * need: every version replaced at or before the horizon position H (`valid_to <= H`), the
 * batches ending there, and the snapshots made below it; then records the horizon, in the
 * same transaction. H is the position `before` resolves to, moved back to the start of any
 * batch that holds it (a read inside that batch copies its tables as they stood at its start).
 * The horizon only moves forward. Concurrent prunings wait for each other; a snapshot being
 * made holds the horizon's row (`FOR SHARE`) until it commits, so it is never made from a
 * history pruned under it.
 */
export async function pruneRowHistory(
  dataSource: DataSource,
  store: EventStore,
  projections: readonly Projection[],
  before: Date,
): Promise<Pruned> {
  const atTime = await store.positionAt(before);
  return projectionTransaction(dataSource, async (_context, tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, $2)', PRUNE_LOCK);
    const [inside] = await tx.query(
      `SELECT min(after) AS after FROM projection_batches
        WHERE projection = ANY($1) AND after < $2 AND last > $2`,
      [projections.map((projection) => projection.name), atTime],
    );
    const previous = await retentionHorizon(tx);
    const horizon = Math.max(
      inside?.after == null ? atTime : Math.min(atTime, Number(inside.after)),
      previous?.position ?? 0,
    );
    if (horizon === 0 || horizon === previous?.position) {
      return { horizonPosition: horizon, rows: 0, snapshots: 0 };
    }
    await tx.query(
      `INSERT INTO known_at_retention (only_row, horizon_position, horizon, pruned_at)
       VALUES (true, $1, $2, now())
       ON CONFLICT (only_row) DO UPDATE
         SET horizon_position = $1, horizon = $2, pruned_at = now()`,
      [horizon, before],
    );
    const stale: { position: string }[] = await tx.query(
      'SELECT position FROM known_at_snapshots WHERE position < $1 FOR UPDATE',
      [horizon],
    );
    for (const { position } of stale) await dropSnapshot(tx, Number(position));
    await tx.query('DELETE FROM projection_batches WHERE projection = ANY($1) AND last <= $2', [
      projections.map((projection) => projection.name),
      horizon,
    ]);
    let rows = 0;
    for (const table of projections.flatMap((projection) => projection.tables)) {
      if (!(await hasRowHistory(tx, table))) continue;
      const deleted = await tx.query(
        `DELETE FROM ${historyTable(table)} WHERE valid_to <= $1`,
        [horizon],
        true,
      );
      rows += deleted.affected ?? 0;
    }
    return { horizonPosition: horizon, rows, snapshots: stale.length };
  });
}
