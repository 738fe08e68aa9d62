import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The secrets of the webhooks alert rules name. The log keeps only each secret's SHA-256 (its
 * events are read by auditors); the secret itself is operational state, like the outbox.
 */
export class CreateAlertWebhookSecrets1763900004030 implements MigrationInterface {
  name = 'CreateAlertWebhookSecrets1763900004030';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE alert_webhook_secrets (
        secret_sha256 text PRIMARY KEY,
        secret text NOT NULL,
        stored_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE alert_webhook_secrets');
  }
}
