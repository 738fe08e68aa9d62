import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The secrets of the webhooks alert rules name, kept out of the log (its events are read by
 * auditors); the secret itself is operational state, like the outbox. Rules first named a
 * secret by its SHA-256; AlertWebhookSecretRefs1763900004040 names it by a random reference.
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
