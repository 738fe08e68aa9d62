import type { DataSource } from 'typeorm';
import type { Projection } from './projection.js';
import { digestRows } from './read-model-digest.js';
import type { TableVerification } from './read-model-verification.js';
import { hasRowHistory, rowsAtBoundary, tableColumns } from './row-history.js';

/** How many earlier positions a verification compares the row history at, beside the end. */
const EARLIER_POSITIONS = 2;

/**
 * Where a verification compares a projection's row history with its replay's: positions that
 * are boundaries of the live batches, so the live history resolves them, and that the replay
 * is made to stop at. The live checkpoint `upTo` is one; the others are ends of batches that
 * spanned several appends (the ones a read as known at a time copies and replays inside),
 * spread over the history. Empty when the projection keeps no history.
 */
export async function historyCheckpoints(
  dataSource: DataSource,
  projection: Projection,
  upTo: number,
): Promise<number[]> {
  if (!(await versionedTables(dataSource, projection)).length) return [];
  const rows: { last: string }[] = await dataSource.query(
    `SELECT b.last FROM projection_batches b
       JOIN projection_checkpoints c ON c.projection = b.projection
      WHERE b.projection = $1 AND b.last < $2 AND b.after >= c.history_from
      ORDER BY b.last`,
    [projection.name, upTo],
  );
  const lasts = rows.map((row) => Number(row.last));
  const picked = Array.from(
    { length: Math.min(EARLIER_POSITIONS, lasts.length) },
    (_, i) => lasts[Math.floor(((i + 1) * lasts.length) / (EARLIER_POSITIONS + 1))],
  );
  return [...new Set([...picked, upTo])].sort((a, b) => a - b);
}

/**
 * The projection's versioned tables as they stood at each position, read from the live
 * history and from the replay's (`shadow` names its tables), compared by digest. Each
 * comparison is named `<table> as known at <position>`.
 */
export async function compareHistories(
  dataSource: DataSource,
  projection: Projection,
  shadow: (table: string) => string,
  positions: readonly number[],
): Promise<TableVerification[]> {
  const tables = await versionedTables(dataSource, projection);
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    await manager.query("SET LOCAL TIME ZONE 'UTC'");
    const comparisons: TableVerification[] = [];
    for (const position of positions) {
      for (const table of tables) {
        const columns = await tableColumns(manager, table);
        const at = (name: string) => `(${rowsAtBoundary(name, columns, position)})`;
        const live = await digestRows(manager, at(table));
        const rebuilt = await digestRows(manager, at(shadow(table)));
        comparisons.push({
          table: `${table} as known at ${position}`,
          live,
          rebuilt,
          match: live.rows === rebuilt.rows && live.digest === rebuilt.digest,
        });
      }
    }
    return comparisons;
  });
}

async function versionedTables(dataSource: DataSource, projection: Projection): Promise<string[]> {
  const versioned: string[] = [];
  for (const table of projection.tables) {
    if (await hasRowHistory(dataSource, table)) versioned.push(table);
  }
  return versioned;
}
