import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  addVersionStart,
  dropRowHistoryTriggers,
  HISTORY_SUFFIX,
  historyPositionIndex,
  historyTable,
  installRowHistoryTriggers,
  keyColumns,
  quote,
  recordRowHistoryFunction,
  VERSION_START,
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
    for (const table of await versionedTables(db)) {
      // Today's recorders need the start on the rows: a table without it keeps the shared
      // function until KeepVersionStartOnRows1763900006640 gives it both.
      if (await db.hasColumn(table, VERSION_START)) await installRowHistoryTriggers(db, table);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of await versionedTables(db)) await installSharedRecorder(db, table);
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
    for (const table of await versionedTables(db)) {
      // As in RecordRowHistoryPerTable: KeepVersionStartOnRows installs those of the others.
      if (await db.hasColumn(table, VERSION_START)) await installRowHistoryTriggers(db, table);
    }
  }

  async down(): Promise<void> {}
}

/** The triggers of the first design, by event, with the transition tables each saw. */
const SHARED_RECORDER_TRIGGERS = {
  insert: 'NEW TABLE AS new_rows',
  update: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
  delete: 'OLD TABLE AS old_rows',
};

/**
 * A table's triggers as the first design had them: the shared `record_row_history()`, which
 * records what the per-table recorders of `RecordWithOneProbe1763900006630` recorded, reading
 * the catalog at each statement. Where migrations down go back to.
 */
export async function installSharedRecorder(db: QueryRunner, table: string): Promise<void> {
  await db.query(recordRowHistoryFunction);
  const keys = (await keyColumns(db, table)).join(', ');
  // Today's functions, with the triggers calling them (the row trigger among them).
  await dropRowHistoryTriggers(db, table);
  for (const [event, transitions] of Object.entries(SHARED_RECORDER_TRIGGERS)) {
    await db.query(`DROP TRIGGER IF EXISTS row_history_${event} ON ${quote(table)}`);
    await db.query(
      `CREATE TRIGGER row_history_${event} AFTER ${event.toUpperCase()} ON ${quote(table)}
       REFERENCING ${transitions} FOR EACH STATEMENT
       EXECUTE FUNCTION record_row_history('${keys}')`,
    );
  }
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
      // A history of today's design (made since, `createRowHistory`) is left as it is.
      if (!(await db.hasColumn(historyTable(table), 'absent'))) continue;
      const indexes = await secondaryIndexes(db, historyTable(table));
      if (!indexes.some(({ definition }) => definition === BY_END)) {
        await db.query(`CREATE INDEX ON ${quote(historyTable(table))} USING ${BY_END}`);
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

/** The read index of 6620's design, as `pg_get_indexdef` spells it from `USING` on. */
export const BY_END = 'btree (valid_to, valid_from, absent)';

/**
 * Each versioned table's rows carry where their version began (\`valid_from\`, kept by its
 * default and a row trigger), so a history no longer records an \`absent\` version for every
 * inserted key, nor looks up the key's last version for each version it records: it loses its
 * \`absent\` rows and column and its index of keys, keeps one B-tree of ends
 * (\`historyPositionIndex\`), and its recorders append what updates and deletes replaced.
 * docs/auditing.md#row-history. A row's start is where its key's last recorded version ended,
 * 0 when it has none. The snapshots read as known at a time are dropped: their views read the
 * \`absent\` column, and reads make them again.
 */
export class KeepVersionStartOnRows1763900006640 implements MigrationInterface {
  name = 'KeepVersionStartOnRows1763900006640';

  async up(db: QueryRunner): Promise<void> {
    await dropKnownAtSnapshots(db);
    for (const table of await liveVersionedTables(db)) {
      const history = quote(historyTable(table));
      if (!(await db.hasColumn(table, VERSION_START))) {
        const keyNames = await keyColumns(db, quote(table));
        const keys = keyNames.map(quote).join(', ');
        const sameKey = keyNames.map((key) => `t.${quote(key)} = h.${quote(key)}`).join(' AND ');
        // The recorders of the design before must not see the rows updated below.
        await dropRowHistoryTriggers(db, table);
        await addVersionStart(db, quote(table));
        await db.query(
          `UPDATE ${quote(table)} t SET ${VERSION_START} = h.ended
             FROM (SELECT ${keys}, max(valid_to) AS ended FROM ${history} GROUP BY ${keys}) h
            WHERE ${sameKey}`,
        );
      }
      if (await db.hasColumn(historyTable(table), 'absent')) {
        await db.query(`DELETE FROM ${history} WHERE absent`);
        // Its indexes go with it, or below: the history keeps one, made again.
        await db.query(`ALTER TABLE ${history} DROP COLUMN absent`);
        for (const name of await indexNames(db, historyTable(table))) {
          await db.query(`DROP INDEX ${quote(name)}`);
        }
        await db.query(historyPositionIndex(history));
      }
      await installRowHistoryTriggers(db, quote(table));
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await dropKnownAtSnapshots(db);
    for (const table of await liveVersionedTables(db)) {
      const history = quote(historyTable(table));
      const keyNames = await keyColumns(db, quote(table));
      const keys = keyNames.map(quote).join(', ');
      const sameKey = (a: string, b: string) =>
        keyNames.map((key) => `${a}.${quote(key)} = ${b}.${quote(key)}`).join(' AND ');
      for (const name of await indexNames(db, historyTable(table))) {
        await db.query(`DROP INDEX ${quote(name)}`);
      }
      // The design before recorded nothing of a key that was there only inside a batch.
      await db.query(`DELETE FROM ${history} WHERE ${VERSION_START} = valid_to`);
      await db.query(`ALTER TABLE ${history} ADD COLUMN absent boolean NOT NULL DEFAULT false`);
      await db.query(`ALTER TABLE ${history} ALTER COLUMN absent DROP DEFAULT`);
      await db.query(`CREATE UNIQUE INDEX ON ${history} (${keys}, valid_to)`);
      // A version that began where none of its key ended began with an insert: before it, the
      // key was absent since its previous version ended (or since 0).
      await db.query(
        `INSERT INTO ${history} (${keys}, valid_from, valid_to, absent)
         SELECT ${keyNames.map((key) => `s.${quote(key)}`).join(', ')},
                coalesce((SELECT max(p.valid_to) FROM ${history} p
                           WHERE ${sameKey('p', 's')} AND p.valid_to < s.began), 0),
                s.began, true
           FROM (SELECT ${keys}, ${VERSION_START} AS began FROM ${quote(table)}
                  WHERE ${VERSION_START} > 0
                 UNION ALL
                 SELECT ${keys}, ${VERSION_START} FROM ${history}
                  WHERE ${VERSION_START} > 0) s
          WHERE NOT EXISTS (SELECT FROM ${history} e
                             WHERE ${sameKey('e', 's')} AND e.valid_to = s.began)`,
      );
      await db.query(`ALTER TABLE ${quote(table)} DROP COLUMN ${VERSION_START}`);
      await db.query(`CREATE INDEX ON ${history} USING ${BY_END}`);
      // RecordWithOneProbe's \`down\` keeps the recorders it finds: these record as its did.
      await installSharedRecorder(db, table);
    }
  }
}

/** The names of a table's indexes. */
async function indexNames(db: QueryRunner, table: string): Promise<string[]> {
  const rows: { name: string }[] = await db.query(
    `SELECT i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = to_regclass($1)`,
    [quote(table)],
  );
  return rows.map((row) => row.name);
}

/** Every snapshot of the read models as known at a time, its schemas and its catalog rows. */
async function dropKnownAtSnapshots(db: QueryRunner): Promise<void> {
  const schemas: { name: string }[] = await db.query(
    "SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, 'known_at_')",
  );
  for (const { name } of schemas) await db.query(`DROP SCHEMA ${quote(name)} CASCADE`);
  if (await db.hasTable('known_at_snapshots')) await db.query('DELETE FROM known_at_snapshots');
}
