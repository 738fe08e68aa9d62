import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAlertOutbox1763900004000 implements MigrationInterface {
  name = 'CreateAlertOutbox1763900004000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE alert_deliveries (
        event_id uuid PRIMARY KEY,
        position bigint NOT NULL,
        alert_id text NOT NULL,
        event_type text NOT NULL CHECK (event_type IN ('AlertRaised', 'AlertCleared')),
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        delivered_at timestamptz,
        redelivery_requested_by text
      )`);
    await db.query(
      `CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await db.query(`
      CREATE TABLE alert_delivery_attempts (
        event_id uuid NOT NULL REFERENCES alert_deliveries (event_id),
        attempt int NOT NULL,
        attempted_at timestamptz NOT NULL,
        url text NOT NULL,
        response_status int,
        error text,
        PRIMARY KEY (event_id, attempt)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE alert_delivery_attempts');
    await db.query('DROP TABLE alert_deliveries');
  }
}
