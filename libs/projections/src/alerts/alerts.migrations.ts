import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createRowHistory, dropRowHistoryTriggers, historyTable } from '../runner/row-history.js';

export class CreateAlerts1763900004010 implements MigrationInterface {
  name = 'CreateAlerts1763900004010';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE alerts (
        alert_id text PRIMARY KEY,
        condition text NOT NULL,
        subject_kind text NOT NULL,
        subject_id text NOT NULL,
        period text NOT NULL,
        status text NOT NULL CHECK (status IN ('raised', 'cleared')),
        figures jsonb NOT NULL,
        observed_on date NOT NULL,
        raised_at timestamptz NOT NULL,
        cleared_at timestamptz,
        acknowledged_by text,
        acknowledged_at timestamptz,
        note text,
        last_position bigint NOT NULL
      )`);
    await db.query('CREATE INDEX alerts_by_subject ON alerts (subject_kind, subject_id)');
    await db.query('CREATE INDEX alerts_by_status ON alerts (status, last_position)');
    // Read as known at a time like every read model (docs/auditing.md).
    await createRowHistory(db, 'alerts');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS ${historyTable('alerts')}`);
    await db.query('DROP TABLE alerts');
    await dropRowHistoryTriggers(db, 'alerts');
  }
}
