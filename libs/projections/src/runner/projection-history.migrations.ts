import type { MigrationInterface, QueryRunner } from 'typeorm';
import { recordRowHistoryFunction } from './row-history.js';

/**
 * What the runner keeps of its own history: for reading read models as they stood at any log
 * position (docs/projections.md#row-history), the trigger function of row histories, the
 * batches whose inside the histories do not resolve, and where each projection's history
 * begins; and the rebuilds it ran, so one a crash interrupted is reported as failed.
 */
export class CreateProjectionHistory1763900003200 implements MigrationInterface {
  name = 'CreateProjectionHistory1763900003200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(recordRowHistoryFunction);
    // Only batches that span more than one record time: a read as known at a time can only
    // land inside those.
    await db.query(`
      CREATE TABLE projection_batches (
        projection text NOT NULL,
        after bigint NOT NULL,
        last bigint NOT NULL,
        PRIMARY KEY (projection, last)
      )`);
    // A projection that already ran before its tables kept a history has none before here.
    await db.query(
      'ALTER TABLE projection_checkpoints ADD COLUMN history_from bigint NOT NULL DEFAULT 0',
    );
    await db.query('UPDATE projection_checkpoints SET history_from = position');
    await db.query(`
      CREATE TABLE projection_rebuilds (
        projection text NOT NULL,
        started_at timestamptz NOT NULL,
        state text NOT NULL CHECK (state IN ('running', 'done', 'failed')),
        finished_at timestamptz,
        position bigint,
        error text,
        PRIMARY KEY (projection, started_at)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE projection_rebuilds');
    await db.query('ALTER TABLE projection_checkpoints DROP COLUMN history_from');
    await db.query('DROP TABLE projection_batches');
    await db.query('DROP FUNCTION record_row_history()');
  }
}
