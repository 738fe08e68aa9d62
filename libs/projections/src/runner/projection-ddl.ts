import type { DataSource, QueryRunner } from 'typeorm';
import type { Projection } from './projection.js';
import {
  createRowHistory,
  dropRowHistoryTriggers,
  hasRowHistory,
  historyTable,
  installRowHistoryTriggers,
} from './row-history.js';
import { type RunnerContext, runTransaction } from './runner-context.js';

/** What replays the log into shadow tables beside the live ones. */
export type ShadowWork = 'rebuild' | 'verification';

const RETIRED_SUFFIX = '__retired';
const SHADOW_SUFFIX: Record<ShadowWork, string> = {
  rebuild: '__rebuild',
  verification: '__verify',
};

/** Whether a table is a rebuild's or a verification's copy of a live one. */
export const isShadowTable = (table: string) =>
  Object.values(SHADOW_SUFFIX).some((suffix) => table.endsWith(suffix));

/** The names of a projection's shadow tables and shadow checkpoint for a rebuild or a verification. */
export function shadowNames(projection: string, work: ShadowWork) {
  const suffix = SHADOW_SUFFIX[work];
  return {
    shadow: (table: string) => `${table}${suffix}`,
    shadowCheckpoint: `${projection}${suffix}`,
  };
}

/**
 * Empty copies of the projection's tables (and of their row histories) and a checkpoint at 0,
 * for `work`. The copies keep only their unique indexes, what a projection's `apply` and the
 * history's trigger look rows up by: maintaining the others row by row through a replay of the
 * whole log costs far more than building them once at its end (`buildSecondaryIndexes`), and a
 * verification never needs them. For a history that is its B-tree of version ends, which only
 * reads as known at a time use.
 */
export async function createShadow(
  runner: RunnerContext,
  projection: Projection,
  work: ShadowWork,
): Promise<void> {
  const { shadow, shadowCheckpoint } = shadowNames(projection.name, work);
  await runTransaction(runner, async (_context, tx) => {
    for (const table of projection.tables) {
      await tx.query(`DROP TABLE IF EXISTS ${shadow(table)}`);
      await tx.query(`CREATE TABLE ${shadow(table)} (LIKE ${table} INCLUDING ALL)`);
      if (await hasRowHistory(tx, table)) await createRowHistory(tx, shadow(table));
      for (const copy of [shadow(table), historyTable(shadow(table))]) {
        for (const { name } of await secondaryIndexes(tx, copy)) {
          await tx.query(`DROP INDEX ${name}`);
        }
      }
    }
    await tx.query(
      `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, 0)
       ON CONFLICT (projection) DO UPDATE SET position = 0, updated_at = now()`,
      [shadowCheckpoint],
    );
    await tx.query('DELETE FROM projection_batches WHERE projection = $1', [shadowCheckpoint]);
  });
}

/**
 * Builds on the rebuild tables, and on their row histories, the non-unique indexes of the live
 * ones, one pass each.
 */
export async function buildSecondaryIndexes(
  runner: RunnerContext,
  projection: Projection,
): Promise<void> {
  const { shadow } = shadowNames(projection.name, 'rebuild');
  await runTransaction(runner, async (_context, tx) => {
    for (const table of projection.tables) {
      const copies = [[table, shadow(table)]];
      if (await hasRowHistory(tx, shadow(table))) {
        copies.push([historyTable(table), historyTable(shadow(table))]);
      }
      for (const [live, copy] of copies) {
        for (const { definition } of await secondaryIndexes(tx, live)) {
          await tx.query(`CREATE INDEX ON ${copy} USING ${definition}`);
        }
      }
    }
  });
}

export async function dropShadow(
  runner: RunnerContext,
  projection: Projection,
  work: ShadowWork,
): Promise<void> {
  const { shadow, shadowCheckpoint } = shadowNames(projection.name, work);
  await runTransaction(runner, async (_context, tx) => {
    for (const table of projection.tables) {
      await tx.query(`DROP TABLE IF EXISTS ${shadow(table)}`);
      await tx.query(`DROP TABLE IF EXISTS ${historyTable(shadow(table))}`);
      await dropRowHistoryTriggers(tx, shadow(table));
    }
    await tx.query('DELETE FROM projection_checkpoints WHERE projection = $1', [shadowCheckpoint]);
    await tx.query('DELETE FROM projection_batches WHERE projection = $1', [shadowCheckpoint]);
  });
}

/** Whether shadow tables or a shadow checkpoint for `work` are left. */
export async function hasShadow(
  dataSource: DataSource,
  projection: Projection,
  work: ShadowWork,
): Promise<boolean> {
  const { shadow, shadowCheckpoint } = shadowNames(projection.name, work);
  const [{ found }] = await dataSource.query(
    `SELECT EXISTS (SELECT FROM projection_checkpoints WHERE projection = $1)
         OR EXISTS (SELECT FROM unnest($2::text[]) AS t (name) WHERE to_regclass(t.name) IS NOT NULL)
         AS found`,
    [
      shadowCheckpoint,
      projection.tables.flatMap((table) => [shadow(table), historyTable(shadow(table))]),
    ],
  );
  return found;
}

/**
 * Inside the swap's transaction: the rebuild tables (and their row histories) take the live
 * ones' names, the live ones are dropped, and the fresh indexes take the live indexes' names.
 */
export async function swapTables(tx: QueryRunner, projection: Projection): Promise<void> {
  const { shadow } = shadowNames(projection.name, 'rebuild');
  for (const table of projection.tables) {
    const liveIndexes = await indexesByShape(tx, table);
    const freshIndexes = await indexesByShape(tx, shadow(table));
    const retired = `${table}${RETIRED_SUFFIX}`;
    const versioned = await hasRowHistory(tx, shadow(table));
    await tx.query(`ALTER TABLE ${table} RENAME TO ${retired}`);
    await tx.query(`ALTER TABLE ${shadow(table)} RENAME TO ${table}`);
    if (versioned) {
      await tx.query(`ALTER TABLE ${historyTable(table)} RENAME TO ${historyTable(retired)}`);
      await tx.query(`ALTER TABLE ${historyTable(shadow(table))} RENAME TO ${historyTable(table)}`);
    }
    // CASCADE: the views of reads as known at a time (known-at/) read the retired tables;
    // those reads find their views gone and make them again over the new ones.
    if (versioned) await tx.query(`DROP TABLE ${historyTable(retired)} CASCADE`);
    await tx.query(`DROP TABLE ${retired} CASCADE`);
    if (versioned) {
      // The fresh table's triggers recorded into its history by the name it had.
      await installRowHistoryTriggers(tx, table);
      await dropRowHistoryTriggers(tx, shadow(table));
    }
    for (const [shape, freshName] of freshIndexes) {
      const liveName = liveIndexes.get(shape);
      if (liveName && liveName !== freshName)
        await tx.query(`ALTER INDEX ${freshName} RENAME TO ${liveName}`);
    }
  }
}

/**
 * A table's indexes keyed by what they index, so the swapped-in copy's indexes (and the
 * constraints they back) can take the live names that migrations refer to.
 */
async function indexesByShape(tx: QueryRunner, table: string): Promise<Map<string, string>> {
  const rows: { name: string; shape: string }[] = await tx.query(
    `SELECT i.relname AS name,
            x.indisunique::text || x.indisprimary::text || regexp_replace(pg_get_indexdef(x.indexrelid), '^.* USING ', '') AS shape
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace`,
    [table],
  );
  return new Map(rows.map((row) => [row.shape, row.name]));
}

/**
 * A table of the current schema's non-unique indexes: their names, and their definitions from
 * `USING` on (as `CREATE INDEX ON t USING …` takes them).
 */
export async function secondaryIndexes(
  tx: QueryRunner,
  table: string,
): Promise<{ name: string; definition: string }[]> {
  return tx.query(
    `SELECT i.relname AS name, regexp_replace(pg_get_indexdef(x.indexrelid), '^.* USING ', '') AS definition
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace AND NOT x.indisunique
     ORDER BY i.relname`,
    [table],
  );
}
