import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  dropRowHistoryTriggers,
  HISTORY_SUFFIX,
  historyRangeIndex,
  historyTable,
  installRowHistoryTriggers,
  keyColumns,
  quote,
  recordRowHistoryFunction,
  ROW_HISTORY_TRIGGERS,
} from './row-history.js';

/** The versioned tables of the current schema: those with a `T__history` beside them. */
async function versionedTables(db: QueryRunner): Promise<string[]> {
  const rows: { name: string }[] = await db.query(
    `SELECT t.relname AS name FROM pg_class t
      WHERE t.relnamespace = current_schema()::regnamespace AND t.relkind = 'r'
        AND EXISTS (SELECT FROM pg_class h
                     WHERE h.relnamespace = t.relnamespace AND h.relname = t.relname || $1)
      ORDER BY 1`,
    [HISTORY_SUFFIX],
  );
  return rows.map((row) => row.name);
}

/**
 * Each versioned table gets a trigger function of its own, whose statements PL/pgSQL plans
 * once per session, instead of the shared `record_row_history()` that read the catalog and
 * planned its statements again at every statement it recorded (`installRowHistoryTriggers`).
 * What it records is the same. The shared function stays: a process of the previous version
 * still running (a rolling deploy) makes its rebuild's tables with triggers that call it.
 */
export class RecordRowHistoryPerTable1763900006600 implements MigrationInterface {
  name = 'RecordRowHistoryPerTable1763900006600';

  async up(db: QueryRunner): Promise<void> {
    for (const table of await versionedTables(db)) await installRowHistoryTriggers(db, table);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(recordRowHistoryFunction);
    for (const table of await versionedTables(db)) {
      const keys = (await keyColumns(db, table)).join(', ');
      await dropRowHistoryTriggers(db, table);
      for (const [event, transitions] of Object.entries(ROW_HISTORY_TRIGGERS)) {
        await db.query(
          `CREATE TRIGGER row_history_${event} AFTER ${event.toUpperCase()} ON ${table}
           REFERENCING ${transitions} FOR EACH STATEMENT
           EXECUTE FUNCTION record_row_history('${keys}')`,
        );
      }
    }
  }
}

/**
 * The histories' GiST range index made partial, of versions that held a row (`WHERE NOT
 * absent`, as the read at P asks), so that recording an absence (a key's first insert, most
 * versions of the per-participant tables) does not insert into it (`historyRangeIndex`).
 */
export class IndexPresentVersions1763900006610 implements MigrationInterface {
  name = 'IndexPresentVersions1763900006610';

  async up(db: QueryRunner): Promise<void> {
    for (const table of await versionedTables(db)) await rangeIndexPartial(db, table, true);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of await versionedTables(db)) await rangeIndexPartial(db, table, false);
  }
}

/**
 * Gives the history of `table` one GiST range index, partial or not, made again only where it
 * is not so already (histories migrated or made since `historyRangeIndex` became partial).
 */
async function rangeIndexPartial(db: QueryRunner, table: string, partial: boolean) {
  const history = quote(historyTable(table));
  const indexes: { name: string; partial: boolean }[] = await db.query(
    `SELECT i.relname AS name, x.indpred IS NOT NULL AS partial
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am a ON a.oid = i.relam
      WHERE x.indrelid = to_regclass($1) AND a.amname = 'gist'`,
    [history],
  );
  if (indexes.length === 1 && indexes[0].partial === partial) return;
  for (const { name } of indexes) await db.query(`DROP INDEX ${quote(name)}`);
  await db.query(
    partial
      ? historyRangeIndex(history)
      : `CREATE INDEX ON ${history} USING gist (int8range(valid_from, valid_to))`,
  );
}
