import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditTrail1763900003010 implements MigrationInterface {
  name = 'CreateAuditTrail1763900003010';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_events (
        position bigint PRIMARY KEY,
        event_id uuid NOT NULL,
        stream_id text NOT NULL,
        revision bigint NOT NULL,
        type text NOT NULL,
        actor text NOT NULL,
        source text,
        correlation_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        business_date date NOT NULL,
        unit_ids text[] NOT NULL,
        scheme text,
        figure_day date
      )`);
    await db.query('CREATE INDEX audit_events_by_stream ON audit_events (stream_id, position)');
    await db.query('CREATE INDEX audit_events_by_actor ON audit_events (actor, position)');
    await db.query('CREATE INDEX audit_events_by_type ON audit_events (type, position)');
    await db.query('CREATE INDEX audit_events_by_record_time ON audit_events (recorded_at)');
    await db.query('CREATE INDEX audit_events_by_unit ON audit_events USING gin (unit_ids)');
    await db.query(`
      CREATE TABLE audit_streams (
        stream_id text PRIMARY KEY,
        unit_ids text[] NOT NULL,
        scheme text
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE audit_streams');
    await db.query('DROP TABLE audit_events');
  }
}
