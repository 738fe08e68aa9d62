import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCollectionPerformance1763900002020 implements MigrationInterface {
  name = 'CreateCollectionPerformance1763900002020';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE participant_coverage (
        participant_id text NOT NULL,
        scheme text NOT NULL,
        unit_id text NOT NULL,
        organization_id text,
        agent_id text,
        point_id text,
        enrolled_on date NOT NULL,
        active_since date NOT NULL,
        paid_until date NOT NULL,
        stopped_on date,
        last_position bigint NOT NULL,
        PRIMARY KEY (participant_id, scheme)
      )`);
    await db.query(
      'CREATE INDEX participant_coverage_by_agent ON participant_coverage (agent_id, paid_until)',
    );
    await db.query(`
      CREATE TABLE coverage_due_dates (
        participant_id text NOT NULL,
        scheme text NOT NULL,
        due_on date NOT NULL,
        unit_id text NOT NULL,
        organization_id text,
        agent_id text,
        renewed_on date,
        stopped_on date,
        PRIMARY KEY (participant_id, scheme, due_on)
      )`);
    await db.query(
      'CREATE INDEX coverage_due_dates_by_organization ON coverage_due_dates (organization_id, due_on)',
    );
    await db.query(
      'CREATE INDEX coverage_due_dates_by_agent ON coverage_due_dates (agent_id, due_on)',
    );
    // '' stands for "credited to no organization" or "to no agent": key columns cannot be null.
    await db.query(`
      CREATE TABLE monthly_collection_activity (
        organization_id text NOT NULL,
        agent_id text NOT NULL,
        unit_id text NOT NULL,
        scheme text NOT NULL,
        month date NOT NULL,
        enrolled bigint NOT NULL,
        stopped bigint NOT NULL,
        resumed bigint NOT NULL,
        contributions bigint NOT NULL,
        collected bigint NOT NULL,
        PRIMARY KEY (organization_id, agent_id, unit_id, scheme, month)
      )`);
    await db.query(
      'CREATE INDEX monthly_collection_activity_by_agent ON monthly_collection_activity (agent_id, month)',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE monthly_collection_activity');
    await db.query('DROP TABLE coverage_due_dates');
    await db.query('DROP TABLE participant_coverage');
  }
}
