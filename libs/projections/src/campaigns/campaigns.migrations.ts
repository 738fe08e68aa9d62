import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCampaigns1763900001000 implements MigrationInterface {
  name = 'CreateCampaigns1763900001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE campaigns (
        campaign_id text PRIMARY KEY,
        name text NOT NULL,
        start_date date NOT NULL,
        planned_end_date date NOT NULL,
        end_date date NOT NULL,
        closed_on date,
        cancelled_on date,
        status text NOT NULL CHECK (status IN ('active', 'ended', 'closed', 'cancelled')),
        scope_unit_ids text[] NOT NULL,
        objectives jsonb NOT NULL,
        launched_position bigint NOT NULL,
        last_position bigint NOT NULL
      )`);
    await db.query('CREATE INDEX campaigns_by_status ON campaigns (status, start_date)');
    await db.query('CREATE INDEX campaigns_by_scope ON campaigns USING gin (scope_unit_ids)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE campaigns');
  }
}
