import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { DataSource } from 'typeorm';
import { AlertsLeadership } from '../apps/api/src/alerts/alerts-leadership.js';
import { AlertDispatch } from '../apps/api/src/alerts/delivery/alert-dispatch.js';
import { AlertWatch } from '../apps/api/src/alerts/watch/alert-watch.js';
import {
  createAlertTestApp,
  type Receiver,
  aMoment,
  addMilestone,
  addProvince,
  codes,
  dispatchUntilDelivered,
  webhookReceiver,
} from './support/alert-fixtures.js';
import { type TestApp, bearer } from './support/app.js';
import { type TestDatabase, createTestDatabase } from './support/database.js';
import { MovableClock } from './support/movable-clock.js';

const code = codes('D');
const SECRET = 'office-webhook-secret-of-at-least-32-characters';

type Row = { attempts: number; next_attempt_at: string; status: string; tries: number };

/**
 * Deliveries without a service webhook: nothing walked while no webhook exists anywhere, rows
 * with nowhere to go parked after one look, redirects refused; and one process per database
 * running the alert timers.
 */
describe('alert deliveries with nowhere (or somewhere doubtful) to go', () => {
  const clock = new MovableClock('2027-09-10T09:00:00+07:00');
  let test: TestApp;
  let manager: string;
  let province: string;
  let office: Receiver;
  let redirecting: Receiver;
  const http = () => request(test.app.getHttpServer());
  const post = (path: string, body: object) =>
    http().post(path).set('Authorization', manager).send(body);
  const put = (path: string, body: object) =>
    http().put(path).set('Authorization', manager).send(body);
  const row = async (eventId: string): Promise<Row | undefined> =>
    (
      (await test.app.get(DataSource).query(
        `SELECT attempts, next_attempt_at::text, status,
                (SELECT count(*)::int FROM alert_delivery_attempts a WHERE a.event_id = d.event_id) AS tries
           FROM alert_deliveries d WHERE event_id = $1`,
        [eventId],
      )) as Row[]
    )[0];
  /** The outbox is a projection, a moment behind the log. */
  const queued = async (eventId: string) => {
    while (!(await row(eventId))) await aMoment();
  };
  /** A milestone at risk today under a rule of its own, its alert raised: the alert event. */
  const atRisk = async (webhook?: { url: string; secret: string }) => {
    const milestoneId = await addMilestone(post, {
      milestoneId: code(),
      deadline: '2027-09-30',
      scopeUnitId: province,
      setOn: '2027-09-01',
    });
    await put(`/milestones/${milestoneId}/alert-rule`, { atRiskDaysLeft: 30, webhook }).expect(201);
    await test.app.get(AlertWatch).watch();
    const [raised] = await test.app
      .get(EventStore)
      .readStream(`alert-milestone-at-risk.${milestoneId}.2027-09-30`);
    await queued(raised.id);
    return { milestoneId, eventId: raised.id };
  };

  beforeAll(async () => {
    office = await webhookReceiver(200);
    redirecting = await webhookReceiver(302, office.url);
    test = await createAlertTestApp({ clock });
    manager = await bearer('manager');
    province = await addProvince(post, code(), [{ unitId: code(), name: 'Commune' }]);
  });
  afterAll(async () => {
    await test?.close();
    await office?.close();
    await redirecting?.close();
  });

  it('walks nothing without a webhook, parks what has nowhere to go, refuses redirects, and delivers a parked alert once its rule gets a webhook', async () => {
    // Each look at a due row is one `dispatchOne` (its own transaction).
    const transactions = jest.spyOn(
      test.app.get(AlertDispatch) as unknown as { dispatchOne: () => Promise<unknown> },
      'dispatchOne',
    );
    const dispatch = () => test.app.get(AlertDispatch).dispatchDue();

    // No service webhook, no rule webhook: the run reads no row and changes none.
    const unrouted = await atRisk();
    expect(await dispatch()).toEqual({ delivered: [], retrying: [], failed: [] });
    expect(transactions).not.toHaveBeenCalled();
    expect(await row(unrouted.eventId)).toEqual({
      attempts: 0,
      next_attempt_at: '-infinity',
      status: 'pending',
      tries: 0,
    });

    // Another subject's rule names a webhook that redirects: a failed try with its status,
    // nothing re-posted to where it points. The unrouted alert is looked at once and parked.
    const redirected = await atRisk({ url: redirecting.url, secret: SECRET });
    expect(await dispatch()).toEqual({
      delivered: [],
      retrying: [redirected.eventId],
      failed: [],
    });
    expect(redirecting.received).toHaveLength(1);
    expect(office.received).toHaveLength(0);
    const deliveries = await http()
      .get('/alerts/deliveries')
      .set('Authorization', await bearer('admin'));
    const tried = (deliveries.body.deliveries as { eventId: string; log: object[] }[]).find(
      ({ eventId }) => eventId === redirected.eventId,
    );
    expect(tried?.log).toEqual([
      expect.objectContaining({
        url: redirecting.url,
        responseStatus: 302,
        error: 'HTTP 302: redirects are not followed',
      }),
    ]);
    expect(await row(unrouted.eventId)).toMatchObject({
      attempts: 0,
      next_attempt_at: 'infinity',
      tries: 0,
    });
    transactions.mockClear();
    expect(await dispatch()).toEqual({ delivered: [], retrying: [], failed: [] });
    expect(transactions).toHaveBeenCalledTimes(1); // one read, which finds nothing due

    // Its own rule gets a webhook: the parked alert is due again, and delivered.
    await put(`/milestones/${unrouted.milestoneId}/alert-rule`, {
      atRiskDaysLeft: 30,
      webhook: { url: office.url, secret: SECRET },
    }).expect(201);
    await dispatchUntilDelivered(test, unrouted.eventId);
    expect(office.received.filter(({ body }) => body.includes(unrouted.eventId))).toHaveLength(1);
  });

  it('takes a webhook by its secret reference on import, and still finds the secret of a rule recorded with a SHA-256', async () => {
    const store = test.app.get(EventStore);
    // An import names the webhook by the reference a rule set through PUT recorded.
    const { milestoneId: named } = await atRisk({ url: office.url, secret: SECRET });
    const [set] = (await store.readStream(`alert-rules-milestone-${named}`)).slice(-1);
    const { secretRef } = (set.data as { rule: { webhook: { secretRef: string } } }).rule.webhook;
    const imported = await addMilestone(post, {
      milestoneId: code(),
      name: 'Imported program',
      deadline: '2027-09-30',
      scopeUnitId: province,
      setOn: '2027-09-01',
    });
    await http()
      .post('/imports')
      .set('Authorization', manager)
      .send([
        {
          command: 'SetMilestoneAlertRule',
          source: 'test',
          milestoneId: imported,
          atRiskDaysLeft: 30,
          webhook: { url: office.url, secretRef },
        },
      ])
      .expect(201);
    const [rule] = await store.readStream(`alert-rules-milestone-${imported}`);
    expect(rule.data).toMatchObject({ rule: { webhook: { url: office.url, secretRef } } });

    // A rule recorded before references named its secret by SHA-256; the secret kept then
    // still signs its alerts.
    const legacySecret = 'a-secret-kept-when-rules-named-it-by-digest';
    const sha256 = createHash('sha256').update(legacySecret).digest('hex');
    await test.app
      .get(DataSource)
      .query(
        `INSERT INTO alert_webhook_secrets (secret_ref, secret_sha256, secret) VALUES ($1, $2, $3)`,
        [randomUUID(), sha256, legacySecret],
      );
    const legacy = await addMilestone(post, {
      milestoneId: code(),
      name: 'Older program',
      deadline: '2027-09-30',
      scopeUnitId: province,
      setOn: '2027-09-01',
    });
    await store.append(
      `alert-rules-milestone-${legacy}`,
      [
        {
          id: randomUUID(),
          type: 'AlertRuleSet',
          data: {
            subject: { kind: 'milestone', id: legacy },
            rule: { atRiskDaysLeft: 30, webhook: { url: office.url, secretSha256: sha256 } },
            setOn: '2027-09-10',
          },
          occurredAt: clock.now(),
          metadata: { actor: 'test', correlationId: randomUUID() },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await test.app.get(AlertWatch).watch();
    const [raised] = await store.readStream(`alert-milestone-at-risk.${legacy}.2027-09-30`);
    await queued(raised.id);
    await dispatchUntilDelivered(test, raised.id);
    const [body] = office.received.filter((received) => received.body.includes(raised.id));
    expect(body.headers['x-signature']).toBe(
      `sha256=${createHmac('sha256', legacySecret).update(body.body).digest('hex')}`,
    );
  });

  it('refuses a webhook URL carrying user:password with 400 naming the url', async () => {
    const milestoneId = code();
    const response = await put(`/milestones/${milestoneId}/alert-rule`, {
      atRiskDaysLeft: 30,
      webhook: { url: 'http://office:hunter2@127.0.0.1/alerts', secret: SECRET },
    }).expect(400);
    expect(JSON.stringify(response.body)).toContain('url');
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
  });
});

describe('alert timers across processes', () => {
  let database: TestDatabase;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await database?.drop();
  });

  it('run in one process per database; another takes them on when it stops', async () => {
    const start = async () => {
      const app = await createAlertTestApp({ sharedDatabase: database });
      apps.push(app);
      return app;
    };
    const first = await start();
    const second = await start();
    expect(await first.app.get(AlertsLeadership).leads()).toBe(true);
    expect(await second.app.get(AlertsLeadership).leads()).toBe(false);
    expect(await first.app.get(AlertsLeadership).leads()).toBe(true);
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    expect(await second.app.get(AlertsLeadership).leads()).toBe(true);
  });
});

describe('alert deliveries with ALERT_WEBHOOK_DENY_PRIVATE', () => {
  it('refuses a webhook on a private address as a failed try, posting nothing', async () => {
    const local = await webhookReceiver(200);
    const test = await createAlertTestApp({
      env: {
        ALERT_WEBHOOK_URL: local.url,
        ALERT_WEBHOOK_SECRET: SECRET,
        ALERT_WEBHOOK_DENY_PRIVATE: 'true',
      },
    });
    try {
      const eventId = randomUUID();
      await test.app.get(DataSource).query(
        `INSERT INTO alert_deliveries
           (event_id, position, alert_id, event_type, body, status, next_attempt_at)
         VALUES ($1, 1, 'renewals-due.X.2027-09-10', 'AlertRaised', $2, 'pending', '-infinity')`,
        [eventId, JSON.stringify({ eventId, alert: {} })],
      );
      expect(await test.app.get(AlertDispatch).dispatchDue()).toEqual({
        delivered: [],
        retrying: [eventId],
        failed: [],
      });
      expect(local.received).toEqual([]);
      const [attempt] = await test.app
        .get(DataSource)
        .query(`SELECT error FROM alert_delivery_attempts WHERE event_id = $1`, [eventId]);
      expect(attempt.error).toMatch(/^Refused: 127\.0\.0\.1 is a private address/);
    } finally {
      await test.close();
      await local.close();
    }
  });
});
