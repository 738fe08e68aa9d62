import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ALERT_DELIVERIES_TABLE, ALERT_DELIVERY_ATTEMPTS_TABLE } from '#projections';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../clock.js';
import { SIGNATURE_HEADER, webhookSignature } from './webhook-signature.js';

/** The longest wait between two tries, however many have failed. */
const MAX_BACKOFF_MS = 60 * 60_000;
/** A receiver slower than this counts as a failed try. */
const REQUEST_TIMEOUT_MS = 10_000;

export type Webhook = { url: string; secret: string };

export type DispatchRun = { delivered: string[]; retrying: string[]; failed: string[] };

type DueDelivery = { event_id: string; event_type: string; body: string; attempts: number };

/** Wait before try `attempt + 1`: the base, doubled after each failure, capped at an hour. */
export function backoffMs(baseMs: number, failedAttempts: number): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (failedAttempts - 1));
}

/**
 * Posts the outbox's due alerts to the webhook, signed, at start and every
 * ALERT_DELIVERY_INTERVAL_MS. A row stays locked (`FOR UPDATE SKIP LOCKED`) from the try until
 * its outcome is written, so several processes never post the same try; a process that dies
 * mid-try leaves the row as it was, to be tried again.
 */
@Injectable()
export class AlertDispatch implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('AlertDispatch');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly database: DataSource,
    private readonly clock: Clock,
    private readonly config: ConfigService,
  ) {}

  /** The configured webhook; without one, alerts wait in the outbox. */
  webhook(): Webhook | undefined {
    const url = this.config.get<string>('ALERT_WEBHOOK_URL');
    const secret = this.config.get<string>('ALERT_WEBHOOK_SECRET');
    return url && secret ? { url, secret } : undefined;
  }

  onApplicationBootstrap(): void {
    const interval = this.config.getOrThrow<number>('ALERT_DELIVERY_INTERVAL_MS');
    if (interval === 0 || !this.webhook()) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), interval);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Tries every due delivery once, oldest alert first. */
  async dispatchDue(): Promise<DispatchRun> {
    const run: DispatchRun = { delivered: [], retrying: [], failed: [] };
    const webhook = this.webhook();
    if (!webhook) return run;
    while (await this.dispatchOne(webhook, run));
    return run;
  }

  private dispatchOne(webhook: Webhook, run: DispatchRun): Promise<boolean> {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now();
      const [due] = (await tx.query(
        `SELECT event_id, event_type, body, attempts FROM ${ALERT_DELIVERIES_TABLE}
          WHERE status = 'pending' AND next_attempt_at <= $1
          ORDER BY position LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      )) as DueDelivery[];
      if (!due) return false;
      const outcome = await this.post(webhook, due);
      await this.recordOutcome(tx, webhook, due, now, outcome, run);
      return true;
    });
  }

  private async post(
    { url, secret }: Webhook,
    { event_id, event_type, body }: DueDelivery,
  ): Promise<{ status: number | null; error: string | null }> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [SIGNATURE_HEADER]: webhookSignature(secret, body),
          'X-Alert-Event-Id': event_id,
          'X-Alert-Event-Type': event_type,
        },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.body?.cancel();
      return { status: response.status, error: response.ok ? null : `HTTP ${response.status}` };
    } catch (error) {
      return { status: null, error: String(error) };
    }
  }

  private async recordOutcome(
    tx: EntityManager,
    { url }: Webhook,
    due: DueDelivery,
    now: Date,
    outcome: { status: number | null; error: string | null },
    run: DispatchRun,
  ): Promise<void> {
    const attempt = due.attempts + 1;
    const maxAttempts = this.config.getOrThrow<number>('ALERT_DELIVERY_MAX_ATTEMPTS');
    const baseMs = this.config.getOrThrow<number>('ALERT_DELIVERY_BACKOFF_MS');
    const status =
      outcome.error === null ? 'delivered' : attempt >= maxAttempts ? 'failed' : 'pending';
    await tx.query(
      `INSERT INTO ${ALERT_DELIVERY_ATTEMPTS_TABLE}
         (event_id, attempt, attempted_at, url, response_status, error)
       VALUES ($1, (SELECT coalesce(max(attempt), 0) + 1 FROM ${ALERT_DELIVERY_ATTEMPTS_TABLE}
                     WHERE event_id = $1), $2, $3, $4, $5)`,
      [due.event_id, now, url, outcome.status, outcome.error],
    );
    await tx.query(
      `UPDATE ${ALERT_DELIVERIES_TABLE}
          SET status = $2, attempts = $3, next_attempt_at = $4,
              delivered_at = CASE WHEN $2 = 'delivered' THEN $5::timestamptz END
        WHERE event_id = $1`,
      [due.event_id, status, attempt, new Date(now.getTime() + backoffMs(baseMs, attempt)), now],
    );
    if (status === 'delivered') run.delivered.push(due.event_id);
    else if (status === 'pending') run.retrying.push(due.event_id);
    else {
      run.failed.push(due.event_id);
      this.log.warn(`Gave up delivering alert event ${due.event_id}: ${outcome.error}`);
    }
  }

  /** One run at a time: a slow receiver makes the next tick wait. */
  private tick(): void {
    if (this.running) return;
    this.running = this.dispatchDue()
      .catch((error: unknown) => this.log.error(`Alert delivery run failed: ${String(error)}`))
      .finally(() => (this.running = undefined));
  }
}
