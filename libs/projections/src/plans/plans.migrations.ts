import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePlans1763900000500 implements MigrationInterface {
  name = 'CreatePlans1763900000500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE plans (
        plan_id text PRIMARY KEY,
        unit_id text NOT NULL,
        scheme text NOT NULL,
        metric text NOT NULL,
        year int NOT NULL,
        start_date date NOT NULL,
        end_date date NOT NULL,
        original_target bigint NOT NULL,
        position bigint NOT NULL
      )`);
    await db.query('CREATE INDEX plans_by_unit ON plans (unit_id, scheme, metric, year)');
    await db.query(`
      CREATE TABLE plan_targets (
        plan_id text NOT NULL,
        position bigint NOT NULL,
        effective_from date NOT NULL,
        target bigint NOT NULL,
        previous_target bigint,
        reason text NOT NULL,
        decision_ref text,
        PRIMARY KEY (plan_id, position)
      )`);
    await db.query(`
      CREATE TABLE plan_allocations (
        plan_id text NOT NULL,
        position bigint NOT NULL,
        recipient_kind text NOT NULL,
        recipient_id text NOT NULL,
        target bigint NOT NULL,
        previous_target bigint,
        allocated_on date NOT NULL,
        PRIMARY KEY (plan_id, position)
      )`);
    await db.query(
      'CREATE INDEX plan_allocations_by_recipient ON plan_allocations (recipient_kind, recipient_id)',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE plan_allocations');
    await db.query('DROP TABLE plan_targets');
    await db.query('DROP TABLE plans');
  }
}
