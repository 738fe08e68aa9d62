import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ALERT_SUBJECT_KINDS, type AlertSubject } from '#domain';
import { EventStore } from '#event-store';
import {
  ALERT_DELIVERIES_TABLE,
  ALERT_DELIVERY_ATTEMPTS_TABLE,
  PARKED,
  unparkDeliveries,
} from '#projections';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../clock.js';
import { rulesOf } from '../alert-rules-of.js';
import { AlertsLeadership } from '../alerts-leadership.js';
import { type PostOutcome, postWebhook } from './post-webhook.js';
import { SIGNATURE_HEADER, webhookSignature } from './webhook-signature.js';
import { WebhookSecrets } from './webhook-secrets.js';

/** The longest wait between two tries, however many have failed. */
const MAX_BACKOFF_MS = 60 * 60_000;
/** A receiver slower than this counts as a failed try. */
const REQUEST_TIMEOUT_MS = 10_000;

export type Webhook = { url: string; secret: string };

/** Where a delivery goes; `error` when its rule names a secret this service does not have. */
type Target = { url: string; secret: string; error?: undefined } | { url: string; error: string };

export type DispatchRun = { delivered: string[]; retrying: string[]; failed: string[] };

type DueDelivery = {
  event_id: string;
  position: string;
  event_type: string;
  body: string;
  attempts: number;
};

/** Wait before try `attempt + 1`: the base, doubled after each failure, capped at an hour. */
export function backoffMs(baseMs: number, failedAttempts: number): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (failedAttempts - 1));
}

/**
 * Posts the outbox's due alerts, signed, at start and every ALERT_DELIVERY_INTERVAL_MS: each to
 * the webhook of its subject's rule in force when it is tried, else to the service's webhook;
 * an alert with neither waits in the outbox, untried. A row stays locked (`FOR UPDATE SKIP LOCKED`) from the try until
 * its outcome is written, so several processes never post the same try; a process that dies
 * mid-try leaves the row as it was, to be tried again.
 */
@Injectable()
export class AlertDispatch implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('AlertDispatch');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  /**
   * Whether this process has made parked rows due again, on its first tick as leader. Never
   * reset: the unpark depends only on this process's service webhook, which does not change
   * while it runs, so a process that loses the timers and takes them back does not unpark again.
   */
  private unparked = false;

  constructor(
    private readonly database: DataSource,
    private readonly clock: Clock,
    private readonly config: ConfigService,
    private readonly store: EventStore,
    private readonly secrets: WebhookSecrets,
    private readonly leadership: AlertsLeadership,
  ) {}

  /** The configured webhook; without one, alerts wait in the outbox. */
  webhook(): Webhook | undefined {
    const url = this.config.get<string>('ALERT_WEBHOOK_URL');
    const secret = this.config.get<string>('ALERT_WEBHOOK_SECRET');
    return url && secret ? { url, secret } : undefined;
  }

  onApplicationBootstrap(): void {
    const interval = this.config.getOrThrow<number>('ALERT_DELIVERY_INTERVAL_MS');
    if (interval === 0) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), interval);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Tries every due delivery that has somewhere to go once, oldest alert first. Without a
   * service webhook and with no webhook secret stored (no rule ever named a webhook), nothing
   * can go anywhere: the run ends after one indexed read, walking no row.
   */
  async dispatchDue(): Promise<DispatchRun> {
    const run: DispatchRun = { delivered: [], retrying: [], failed: [] };
    if (!this.webhook() && !(await this.secrets.any())) return run;
    const targets = this.targets();
    let after: string | undefined = '-1';
    while ((after = await this.dispatchOne(targets, after, run)) !== undefined);
    return run;
  }

  /**
   * Tries the first due delivery after `after` (a position), answering its position, or
   * undefined when none is left. A delivery with nowhere to go is parked (due at `infinity`,
   * still pending, untried) so later runs do not walk it again; a rule given a webhook (the
   * alert-outbox projection) or a start with a service webhook makes parked rows due again.
   */
  private dispatchOne(
    targets: (body: string) => Promise<Target | undefined>,
    after: string,
    run: DispatchRun,
  ): Promise<string | undefined> {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now();
      const [due] = (await tx.query(
        `SELECT event_id, position::text AS position, event_type, body, attempts
           FROM ${ALERT_DELIVERIES_TABLE}
          WHERE status = 'pending' AND next_attempt_at <= $1 AND position > $2
          ORDER BY position LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now, after],
      )) as DueDelivery[];
      if (!due) return undefined;
      const target = await targets(due.body);
      if (!target) {
        await tx.query(
          `UPDATE ${ALERT_DELIVERIES_TABLE} SET next_attempt_at = $2 WHERE event_id = $1`,
          [due.event_id, PARKED],
        );
        return due.position;
      }
      const outcome =
        target.error === undefined
          ? await this.post(target, due)
          : { status: null, error: target.error };
      await this.recordOutcome(tx, target, due, now, outcome, run);
      return due.position;
    });
  }

  /**
   * Where each delivery goes, for one run: the webhook of the rule in force for the alert's
   * subject, read from the log (one rule stream per subject and run), else the service's.
   */
  private targets(): (body: string) => Promise<Target | undefined> {
    const fallback = this.webhook();
    const bySubject = new Map<string, Promise<Target | undefined>>();
    const resolve = async (subject: AlertSubject): Promise<Target | undefined> => {
      const { webhook } = (await rulesOf(this.store, [subject]))(subject.id, subject.kind);
      if (!webhook) return fallback;
      const secret = await this.secrets.find(webhook);
      return secret
        ? { url: webhook.url, secret }
        : {
            url: webhook.url,
            error: `The secret of the ${subject.kind} ${subject.id}'s webhook is not stored here; set its rule again`,
          };
    };
    return (body) => {
      const { subject } = (JSON.parse(body) as { alert: { subject?: AlertSubject } }).alert;
      if (!subject || !ALERT_SUBJECT_KINDS.includes(subject.kind)) {
        return Promise.resolve(fallback);
      }
      const key = `${subject.kind}/${subject.id}`;
      let target = bySubject.get(key);
      if (!target) bySubject.set(key, (target = resolve(subject)));
      return target;
    };
  }

  private post(
    { url, secret }: Webhook,
    { event_id, event_type, body }: DueDelivery,
  ): Promise<PostOutcome> {
    return postWebhook(url, {
      headers: {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: webhookSignature(secret, body),
        'X-Alert-Event-Id': event_id,
        'X-Alert-Event-Type': event_type,
      },
      body,
      timeoutMs: REQUEST_TIMEOUT_MS,
      denyPrivate: this.config.get<boolean>('ALERT_WEBHOOK_DENY_PRIVATE') === true,
    });
  }

  private async recordOutcome(
    tx: EntityManager,
    { url }: Target,
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

  /**
   * Parked deliveries had nowhere to go when last looked at; a service webhook set since (this
   * process starts with one) is somewhere: they are due again.
   */
  private async unparkForServiceWebhook(): Promise<void> {
    if (!this.webhook()) return;
    await unparkDeliveries((sql, params) => this.database.query(sql, params));
  }

  /** One run at a time: a slow receiver makes the next tick wait. */
  private tick(): void {
    if (this.running) return;
    this.running = this.leadership
      .leads()
      .then(async (leads) => {
        if (!leads) return;
        if (!this.unparked) {
          await this.unparkForServiceWebhook();
          this.unparked = true;
        }
        await this.dispatchDue();
      })
      .catch((error: unknown) => this.log.error(`Alert delivery run failed: ${String(error)}`))
      .finally(() => (this.running = undefined));
  }
}
