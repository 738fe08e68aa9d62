import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCampaignSchedule1763900000200 implements MigrationInterface {
  name = 'CreateCampaignSchedule1763900000200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE campaign_schedule (
        campaign_id text PRIMARY KEY,
        end_date date NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'ended', 'closed', 'cancelled')),
        last_position bigint NOT NULL
      )`);
    await db.query(
      `CREATE INDEX campaign_schedule_due ON campaign_schedule (end_date) WHERE status = 'active'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE campaign_schedule');
  }
}
