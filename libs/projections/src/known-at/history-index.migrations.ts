import type { MigrationInterface, QueryRunner } from 'typeorm';
import { BY_END } from '../runner/row-history.migrations.js';
import {
  HISTORY_SUFFIX,
  keyColumns,
  quote,
  recordRowHistoryFunction,
  tableColumns,
} from '../runner/row-history.js';

/**
 * Row histories that find the versions a read as known at a time needs without reading them
 * all (docs/auditing.md): each version's start (`valid_from`, the end of the key's previous
 * version, 0 for the first) and a read index (it was a GiST range index and a B-tree of
 * `valid_to` until `IndexVersionsByEnd1763900006620`, then that design's B-tree, `BY_END`).
 * Before, a read at P sorted every version replaced after P and probed the history once per
 * live row, so its cost grew with the log.
 * Histories made since (`createRowHistory`) have them already.
 */
export class IndexRowHistoryPositions1763900006300 implements MigrationInterface {
  name = 'IndexRowHistoryPositions1763900006300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(recordRowHistoryFunction);
    const histories: { name: string }[] = await db.query(
      `SELECT c.relname AS name FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
          AND c.relname LIKE '%' || $1
          AND NOT EXISTS (SELECT FROM pg_attribute a
                           WHERE a.attrelid = c.oid AND a.attname = 'valid_from')`,
      [HISTORY_SUFFIX.replace(/_/g, '\\_')],
    );
    for (const { name } of histories) await rewriteWithValidFrom(db, name);
  }

  async down(): Promise<void> {
    // The column and indexes go with their tables; keeping them is harmless.
  }
}

/**
 * Rewrites a history with `valid_from` (where the key's previous version ended, 0 for its
 * first) before `valid_to`, as `createRowHistory` makes it: one sorted pass into a new table,
 * then its indexes built once. Updating every row in place instead rewrote each with a new
 * version and an entry in the key's index, and took tens of minutes on a history of 1M rows.
 * Views over the old table (reads as known at a time) go with it (`CASCADE`) and are made
 * again by their next read, as after a rebuild.
 */
async function rewriteWithValidFrom(db: QueryRunner, name: string): Promise<void> {
  const table = name.slice(0, -HISTORY_SUFFIX.length);
  const keys = (await keyColumns(db, quote(table))).map(quote).join(', ');
  const columns = (await tableColumns(db, quote(name)))
    .filter((column) => column !== 'valid_to' && column !== 'absent')
    .map(quote)
    .join(', ');
  const history = quote(name);
  const rewritten = quote(`${name}__rewritten`);
  await db.query(`DROP TABLE IF EXISTS ${rewritten}`);
  await db.query(
    `CREATE TABLE ${rewritten} AS
     SELECT ${columns},
            coalesce(lag(valid_to) OVER (PARTITION BY ${keys} ORDER BY valid_to), 0)::bigint
              AS valid_from,
            valid_to, absent
       FROM ${history}
      ORDER BY valid_to`,
  );
  await db.query(
    `ALTER TABLE ${rewritten} ALTER COLUMN valid_from SET NOT NULL,
       ALTER COLUMN valid_to SET NOT NULL, ALTER COLUMN absent SET NOT NULL`,
  );
  await db.query(`DROP TABLE ${history} CASCADE`);
  await db.query(`ALTER TABLE ${rewritten} RENAME TO ${history}`);
  await db.query(`CREATE UNIQUE INDEX ON ${history} (${keys}, valid_to)`);
  // The read index of the design that had `absent` (KeepVersionStartOnRows drops both).
  await db.query(`CREATE INDEX ON ${history} USING ${BY_END}`);
}

/** Where the pruned row history ends (`pruneRowHistory`, `KNOWN_AT_HISTORY_DAYS`). */
export class CreateKnownAtRetention1763900006310 implements MigrationInterface {
  name = 'CreateKnownAtRetention1763900006310';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE known_at_retention (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        -- Reads as known at a position below it answer 410 known_at_beyond_retention.
        horizon_position bigint NOT NULL,
        -- The time the retention kept history from (reads before it may be refused).
        horizon timestamptz NOT NULL,
        pruned_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE known_at_retention');
  }
}
