import type { MigrationInterface, QueryRunner } from 'typeorm';
import { HISTORY_SUFFIX, historyPositionIndex } from '../runner/row-history.js';

/**
 * Every row history indexed by `valid_to` (see `historyPositionIndex`): a read as known at a
 * time scanned its tables' whole histories for the versions replaced after it, so its cost grew
 * with the log, and probed the history once per live row (docs/auditing.md).
 */
export class IndexRowHistoryPositions1763900006300 implements MigrationInterface {
  name = 'IndexRowHistoryPositions1763900006300';

  async up(db: QueryRunner): Promise<void> {
    const histories: { name: string }[] = await db.query(
      `SELECT c.relname AS name FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
          AND c.relname LIKE '%' || $1
          AND NOT EXISTS (
            SELECT FROM pg_index x JOIN pg_attribute a
              ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
             WHERE x.indrelid = c.oid AND x.indnatts = 1 AND a.attname = 'valid_to')`,
      [HISTORY_SUFFIX.replace(/_/g, '\\_')],
    );
    for (const { name } of histories) await db.query(historyPositionIndex(`"${name}"`));
  }

  async down(): Promise<void> {
    // The indexes go with their tables; keeping them is harmless.
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
