import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per organization, agent, unit, scheme and month, the coverage due to run out in it and how
 * much was renewed on time: what the rankings read instead of counting `coverage_due_dates`
 * at every request. Filled from the due dates already stored, so the projection carries on
 * from its checkpoint without a rebuild.
 */
export class CreateMonthlyRenewals1763900003100 implements MigrationInterface {
  name = 'CreateMonthlyRenewals1763900003100';

  async up(db: QueryRunner): Promise<void> {
    // '' stands for "credited to no organization" or "to no agent", as in monthly_collection_activity.
    await db.query(`
      CREATE TABLE monthly_renewals (
        organization_id text NOT NULL,
        agent_id text NOT NULL,
        unit_id text NOT NULL,
        scheme text NOT NULL,
        month date NOT NULL,
        due bigint NOT NULL,
        on_time bigint NOT NULL,
        PRIMARY KEY (organization_id, agent_id, unit_id, scheme, month)
      )`);
    await db.query('CREATE INDEX monthly_renewals_by_agent ON monthly_renewals (agent_id, month)');
    await db.query(`
      INSERT INTO monthly_renewals
        (organization_id, agent_id, unit_id, scheme, month, due, on_time)
      SELECT coalesce(organization_id, ''), coalesce(agent_id, ''), unit_id, scheme,
             date_trunc('month', due_on)::date, count(*),
             count(*) FILTER (WHERE renewed_on <= due_on)
        FROM coverage_due_dates
       WHERE stopped_on IS NULL OR stopped_on >= due_on
       GROUP BY 1, 2, 3, 4, 5`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE monthly_renewals');
  }
}
