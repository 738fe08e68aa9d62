import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  HISTORY_SUFFIX,
  historyPositionIndex,
  historyRangeIndex,
  keyColumns,
  recordRowHistoryFunction,
} from '../runner/row-history.js';

/**
 * Row histories that find the versions a read as known at a time needs without reading them
 * all (docs/auditing.md): each version's start (`valid_from`, the end of the key's previous
 * version, 0 for the first), a GiST index of `[valid_from, valid_to)` (`historyRangeIndex`)
 * and a B-tree of `valid_to` (`historyPositionIndex`). Before, a read at P sorted every version
 * replaced after P and probed the history once per live row, so its cost grew with the log.
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
    for (const { name } of histories) {
      const table = name.slice(0, -HISTORY_SUFFIX.length);
      const keys = (await keyColumns(db, `"${table}"`)).map((key) => `"${key}"`).join(', ');
      const history = `"${name}"`;
      await db.query(`ALTER TABLE ${history} ADD COLUMN valid_from bigint`);
      await db.query(
        `UPDATE ${history} h SET valid_from = coalesce(v.previous, 0)
           FROM (SELECT ctid, lag(valid_to) OVER (PARTITION BY ${keys} ORDER BY valid_to) AS previous
                   FROM ${history}) v
          WHERE h.ctid = v.ctid`,
      );
      await db.query(`ALTER TABLE ${history} ALTER COLUMN valid_from SET NOT NULL`);
      await db.query(historyPositionIndex(history));
      await db.query(historyRangeIndex(history));
    }
  }

  async down(): Promise<void> {
    // The column and indexes go with their tables; keeping them is harmless.
  }
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
