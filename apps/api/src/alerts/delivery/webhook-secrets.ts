import { Injectable } from '@nestjs/common';
import { type AlertWebhook } from '#domain';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

export const WEBHOOK_SECRETS_TABLE = 'alert_webhook_secrets';

/**
 * The secrets of rules' webhooks, kept out of the log: a rule records a random reference
 * (`secretRef`, a UUID) that says nothing about the secret, the dispatcher finds the secret by
 * it. A rule recorded before references existed names its secret by SHA-256, which finds it
 * too. Storing happens before the rule is recorded, so a recorded rule never names a secret the
 * service lacks (a rule that then fails leaves an unused secret behind, which names nothing).
 */
@Injectable()
export class WebhookSecrets {
  constructor(private readonly database: DataSource) {}

  /** Keeps the secret under a new reference, and answers the reference. */
  async keep(secret: string): Promise<string> {
    const secretRef = randomUUID();
    await this.database.query(
      `INSERT INTO ${WEBHOOK_SECRETS_TABLE} (secret_ref, secret) VALUES ($1, $2)`,
      [secretRef, secret],
    );
    return secretRef;
  }

  /** Whether any rule has ever named a webhook (its secret is kept here first). */
  async any(): Promise<boolean> {
    const [row] = (await this.database.query(
      `SELECT EXISTS (SELECT FROM ${WEBHOOK_SECRETS_TABLE}) AS any`,
    )) as { any: boolean }[];
    return row.any;
  }

  /** The secret a rule's webhook names, by reference (or, recorded before, by SHA-256). */
  async find(webhook: AlertWebhook): Promise<string | undefined> {
    const [row] = (await this.database.query(
      webhook.secretRef !== undefined
        ? `SELECT secret FROM ${WEBHOOK_SECRETS_TABLE} WHERE secret_ref = $1::uuid`
        : `SELECT secret FROM ${WEBHOOK_SECRETS_TABLE} WHERE secret_sha256 = $1`,
      [webhook.secretRef ?? webhook.secretSha256],
    )) as { secret: string }[];
    return row?.secret;
  }
}
