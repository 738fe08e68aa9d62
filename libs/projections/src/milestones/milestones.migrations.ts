import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMilestones1763900001030 implements MigrationInterface {
  name = 'CreateMilestones1763900001030';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE milestones (
        milestone_id text PRIMARY KEY,
        name text NOT NULL,
        requirement text NOT NULL,
        deadline date NOT NULL,
        scope_unit_id text NOT NULL,
        levels text[] NOT NULL,
        with_collection_point boolean NOT NULL,
        set_on date NOT NULL,
        position bigint NOT NULL
      )`);
    await db.query('CREATE INDEX milestones_by_scope ON milestones (scope_unit_id, deadline)');
    await db.query('CREATE INDEX milestones_by_deadline ON milestones (deadline)');
    await db.query(`
      CREATE TABLE milestone_outcomes (
        milestone_id text NOT NULL,
        unit_id text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('fulfilled', 'waived')),
        outcome_on date NOT NULL,
        late boolean NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (milestone_id, unit_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE milestone_outcomes');
    await db.query('DROP TABLE milestones');
  }
}
