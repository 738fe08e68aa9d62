import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCollectionActivity1763900001010 implements MigrationInterface {
  name = 'CreateCollectionActivity1763900001010';

  async up(db: QueryRunner): Promise<void> {
    // '' stands for "nobody named": a primary key cannot hold null.
    await db.query(`
      CREATE TABLE collection_activity (
        unit_id text NOT NULL,
        scheme text NOT NULL,
        day date NOT NULL,
        organization_id text NOT NULL,
        agent_id text NOT NULL,
        enrolments bigint NOT NULL,
        stops bigint NOT NULL,
        resumptions bigint NOT NULL,
        contributions bigint NOT NULL,
        contributed_vnd bigint NOT NULL,
        last_position bigint NOT NULL,
        PRIMARY KEY (unit_id, scheme, day, organization_id, agent_id)
      )`);
    await db.query(
      'CREATE INDEX collection_activity_by_day ON collection_activity (scheme, day, unit_id)',
    );
    await db.query(`
      CREATE TABLE debt_recoveries (
        unit_id text NOT NULL,
        day date NOT NULL,
        payments bigint NOT NULL,
        recovered_vnd bigint NOT NULL,
        last_position bigint NOT NULL,
        PRIMARY KEY (unit_id, day)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE debt_recoveries');
    await db.query('DROP TABLE collection_activity');
  }
}
