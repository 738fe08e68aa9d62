import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDebt1763900002030 implements MigrationInterface {
  name = 'CreateDebt1763900002030';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE debt_employers (
        employer_id text PRIMARY KEY,
        employer_name text NOT NULL,
        unit_id text NOT NULL,
        last_position bigint NOT NULL
      )`);
    await db.query('CREATE INDEX debt_employers_by_unit ON debt_employers (unit_id)');
    await db.query(`
      CREATE TABLE debt_arrears (
        employer_id text NOT NULL,
        period text NOT NULL,
        amount_due bigint NOT NULL,
        amount_overdue bigint NOT NULL,
        recorded_on date NOT NULL,
        last_position bigint NOT NULL,
        PRIMARY KEY (employer_id, period)
      )`);
    await db.query('CREATE INDEX debt_arrears_by_period ON debt_arrears (period, employer_id)');
    await db.query(`
      CREATE TABLE debt_movements (
        employer_id text NOT NULL,
        position bigint NOT NULL,
        kind text NOT NULL,
        day date NOT NULL,
        amount bigint NOT NULL,
        overdue_change bigint NOT NULL,
        unrecoverable_change bigint NOT NULL,
        PRIMARY KEY (employer_id, position)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE debt_movements');
    await db.query('DROP TABLE debt_arrears');
    await db.query('DROP TABLE debt_employers');
  }
}
