import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  dropRowHistoryTriggers,
  HISTORY_SUFFIX,
  historyPositionIndex,
  historyTable,
  installRowHistoryTriggers,
  keyColumns,
  quote,
  recordRowHistoryFunction,
  ROW_HISTORY_TRIGGERS,
} from './row-history.js';
import { isShadowTable, secondaryIndexes } from './projection-ddl.js';

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

/** The versioned tables, without a rebuild's or a verification's copies of them. */
async function liveVersionedTables(db: QueryRunner): Promise<string[]> {
  return (await versionedTables(db)).filter((name) => !isShadowTable(name));
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
 * Each versioned table's recorder written again (`installRowHistoryTriggers`): it now skips a
 * key recorded already at the batch's position by the probe that finds the version's start,
 * instead of a second check of the key's index (`ON CONFLICT DO NOTHING`). It records the same
 * rows, so `down` leaves the recorders as they are.
 */
export class RecordWithOneProbe1763900006630 implements MigrationInterface {
  name = 'RecordWithOneProbe1763900006630';

  async up(db: QueryRunner): Promise<void> {
    for (const table of await versionedTables(db)) await installRowHistoryTriggers(db, table);
  }

  async down(): Promise<void> {}
}

/** The first range index of the histories, of every version; then of present ones only. */
const FULL_RANGE_INDEX = 'gist (int8range(valid_from, valid_to))';
const PARTIAL_RANGE_INDEX = `${FULL_RANGE_INDEX} WHERE NOT absent`;

/**
 * Made the histories' GiST range index partial, of versions that held a row (`WHERE NOT
 * absent`), so that recording an absence did not insert into it. Superseded by
 * `IndexVersionsByEnd1763900006620`, which drops that index: `up` does nothing, so a database
 * migrated across both does not build a GiST index only to drop it. `down` makes it full again
 * (after 6620's `down` has made it partial).
 */
export class IndexPresentVersions1763900006610 implements MigrationInterface {
  name = 'IndexPresentVersions1763900006610';

  async up(): Promise<void> {}

  async down(db: QueryRunner): Promise<void> {
    for (const table of await liveVersionedTables(db)) {
      for (const { name, definition } of await secondaryIndexes(db, historyTable(table))) {
        if (definition.startsWith('gist')) await db.query(`DROP INDEX ${quote(name)}`);
      }
      await db.query(`CREATE INDEX ON ${quote(historyTable(table))} USING ${FULL_RANGE_INDEX}`);
    }
  }
}

/**
 * The histories' read indexes become one B-tree of `(valid_to, valid_from, absent)`
 * (`historyPositionIndex`) in place of a B-tree of `valid_to` and a GiST index of
 * `[valid_from, valid_to)`: the versions current at P are found by walking the entries of
 * those replaced after P, and recording a version no longer inserts into a GiST index, which
 * was most of what a history row cost (docs/benchmarks.md). Made only where missing, so a
 * history created since (`createRowHistory`) is left as it is.
 */
export class IndexVersionsByEnd1763900006620 implements MigrationInterface {
  name = 'IndexVersionsByEnd1763900006620';

  async up(db: QueryRunner): Promise<void> {
    // Not a rebuild's copies: the rebuild builds their indexes from the live ones at its end.
    for (const table of await liveVersionedTables(db)) {
      const indexes = await secondaryIndexes(db, historyTable(table));
      if (!indexes.some(({ definition }) => definition === BY_END)) {
        await db.query(historyPositionIndex(quote(historyTable(table))));
      }
      for (const { name, definition } of indexes) {
        if (REPLACED.some((replaced) => definition.startsWith(replaced))) {
          await db.query(`DROP INDEX ${quote(name)}`);
        }
      }
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of await liveVersionedTables(db)) {
      const history = quote(historyTable(table));
      for (const { name, definition } of await secondaryIndexes(db, historyTable(table))) {
        if (definition === BY_END) await db.query(`DROP INDEX ${quote(name)}`);
      }
      await db.query(`CREATE INDEX ON ${history} (valid_to)`);
      await db.query(`CREATE INDEX ON ${history} USING ${PARTIAL_RANGE_INDEX}`);
    }
  }
}

/** The read indexes of the design before: a B-tree of `valid_to`, a GiST range index. */
const REPLACED = ['btree (valid_to)', 'gist '];

/** `historyPositionIndex`, as `pg_get_indexdef` spells it from `USING` on. */
const BY_END = 'btree (valid_to, valid_from, absent)';
