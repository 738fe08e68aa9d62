import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook secrets found by a random reference (`secret_ref`), which rules now record, instead
 * of their unsalted SHA-256: an auditor reading the log could try passphrases against the
 * digest offline. A secret kept before keeps its digest, so a rule recorded with one still
 * finds it; new secrets store none.
 */
export class AlertWebhookSecretRefs1763900004040 implements MigrationInterface {
  name = 'AlertWebhookSecretRefs1763900004040';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE alert_webhook_secrets ADD COLUMN secret_ref uuid`);
    await db.query(`UPDATE alert_webhook_secrets SET secret_ref = gen_random_uuid()`);
    await db.query(`ALTER TABLE alert_webhook_secrets DROP CONSTRAINT alert_webhook_secrets_pkey`);
    await db.query(`ALTER TABLE alert_webhook_secrets ADD PRIMARY KEY (secret_ref)`);
    await db.query(`ALTER TABLE alert_webhook_secrets ALTER COLUMN secret_sha256 DROP NOT NULL`);
    await db.query(
      `CREATE UNIQUE INDEX alert_webhook_secrets_sha256 ON alert_webhook_secrets (secret_sha256)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM alert_webhook_secrets WHERE secret_sha256 IS NULL`);
    await db.query(`DROP INDEX alert_webhook_secrets_sha256`);
    await db.query(`ALTER TABLE alert_webhook_secrets DROP CONSTRAINT alert_webhook_secrets_pkey`);
    await db.query(`ALTER TABLE alert_webhook_secrets ADD PRIMARY KEY (secret_sha256)`);
    await db.query(`ALTER TABLE alert_webhook_secrets DROP COLUMN secret_ref`);
  }
}
