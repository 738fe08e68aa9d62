import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

export const WEBHOOK_SECRETS_TABLE = 'alert_webhook_secrets';

export const secretSha256 = (secret: string) =>
  createHash('sha256').update(secret, 'utf8').digest('hex');

/**
 * The secrets of rules' webhooks, kept out of the log: a rule records the secret's SHA-256,
 * the dispatcher finds the secret by it. Storing is idempotent, and happens before the rule is
 * recorded, so a recorded rule never names a secret the service lacks (a rule that then fails
 * leaves an unused secret behind, which names nothing).
 */
@Injectable()
export class WebhookSecrets {
  constructor(private readonly database: DataSource) {}

  async keep(secret: string): Promise<string> {
    const sha256 = secretSha256(secret);
    await this.database.query(
      `INSERT INTO ${WEBHOOK_SECRETS_TABLE} (secret_sha256, secret) VALUES ($1, $2)
       ON CONFLICT (secret_sha256) DO NOTHING`,
      [sha256, secret],
    );
    return sha256;
  }

  /** Whether any rule has ever named a webhook (its secret is kept here first). */
  async any(): Promise<boolean> {
    const [row] = (await this.database.query(
      `SELECT EXISTS (SELECT FROM ${WEBHOOK_SECRETS_TABLE}) AS any`,
    )) as { any: boolean }[];
    return row.any;
  }

  async find(sha256: string): Promise<string | undefined> {
    const [row] = (await this.database.query(
      `SELECT secret FROM ${WEBHOOK_SECRETS_TABLE} WHERE secret_sha256 = $1`,
      [sha256],
    )) as { secret: string }[];
    return row?.secret;
  }
}
