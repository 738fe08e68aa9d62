import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCollectionNetwork1763900002010 implements MigrationInterface {
  name = 'CreateCollectionNetwork1763900002010';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE collection_organizations (
        organization_id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        unit_id text NOT NULL,
        registered_on date NOT NULL,
        last_position bigint NOT NULL
      )`);
    await db.query(`
      CREATE TABLE collection_agents (
        agent_id text PRIMARY KEY,
        name text NOT NULL,
        registered_on date NOT NULL,
        last_position bigint NOT NULL
      )`);
    await db.query(`
      CREATE TABLE agent_assignments (
        agent_id text NOT NULL,
        from_date date NOT NULL,
        organization_id text NOT NULL,
        point_id text,
        until_date date,
        ended_on date,
        last_position bigint NOT NULL,
        PRIMARY KEY (agent_id, from_date)
      )`);
    await db.query(
      'CREATE INDEX agent_assignments_by_organization ON agent_assignments (organization_id, from_date)',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE agent_assignments');
    await db.query('DROP TABLE collection_agents');
    await db.query('DROP TABLE collection_organizations');
  }
}
