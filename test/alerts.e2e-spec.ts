import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { Clock } from '../apps/api/src/clock.js';
import { AlertDispatch } from '../apps/api/src/alerts/delivery/alert-dispatch.js';
import { webhookSignature } from '../apps/api/src/alerts/delivery/webhook-signature.js';
import { AlertWatch } from '../apps/api/src/alerts/watch/alert-watch.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';
import { type TestDatabase, createTestDatabase } from './support/database.js';
import { MovableClock } from './support/movable-clock.js';

const SECRET = 'alert-webhook-secret-at-least-32-characters';
const BACKOFF_MS = 60_000;
const code = () => `A${randomUUID().slice(0, 8)}`;

type Received = { headers: IncomingHttpHeaders; body: string };

/** An office's receiver: answers each request with the next status in `statuses`. */
async function receiver(statuses: number[]) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses[received.length - 1] ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
  return { received, url, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** An API process on the shared database, its timers off so the test drives watch and dispatch. */
async function apiProcess(database: TestDatabase, clock: MovableClock, webhookUrl: string) {
  const test = await createTestApp({
    sharedDatabase: database,
    overrides: [{ provide: Clock, useValue: clock }],
    env: {
      ALERT_WEBHOOK_URL: webhookUrl,
      ALERT_WEBHOOK_SECRET: SECRET,
      ALERT_WATCH_INTERVAL_MS: '0',
      ALERT_DELIVERY_INTERVAL_MS: '0',
      ALERT_DELIVERY_BACKOFF_MS: String(BACKOFF_MS),
    },
  });
  return {
    test,
    watch: test.app.get(AlertWatch),
    dispatch: test.app.get(AlertDispatch),
    store: test.app.get(EventStore),
  };
}

type ApiProcess = Awaited<ReturnType<typeof apiProcess>>;

/** A province with two communes and a milestone over them that nobody has fulfilled yet. */
async function milestoneOverTwoCommunes(test: TestApp): Promise<string> {
  const manager = await bearer('manager');
  const post = (path: string, body: object) =>
    request(test.app.getHttpServer()).post(path).set('Authorization', manager).send(body);
  const [province, first, second, milestoneId] = [code(), code(), code(), code()];
  for (const [unitId, parentId, level] of [
    [province, undefined, 'province'],
    [first, province, 'commune'],
    [second, province, 'commune'],
  ] as const) {
    await post('/units', {
      unitId,
      name: unitId,
      level,
      parentId,
      effectiveDate: '2024-01-01',
    }).expect(201);
  }
  await post('/milestones', {
    milestoneId,
    name: 'Three-party coordination program',
    requirement: 'Sign the coordination program',
    deadline: '2026-10-20',
    scopeUnitId: province,
    criterion: { levels: ['commune'] },
    setOn: '2026-09-15',
  }).expect(201);
  return milestoneId;
}

/** Dispatches until the outbox has the alert (its projection may still be catching up). */
async function dispatchFirst(process: ApiProcess) {
  for (;;) {
    const run = await process.dispatch.dispatchDue();
    if (run.delivered.length + run.retrying.length + run.failed.length > 0) return run;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('alerts (HTTP, webhook, restarts)', () => {
  const clock = new MovableClock('2026-10-01T09:00:00+07:00');
  let database: TestDatabase;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let first: ApiProcess | undefined;
  let second: ApiProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    hook = await receiver([500, 503, 200]);
  });
  afterAll(async () => {
    await first?.test.close();
    await second?.test.close();
    await hook?.close();
    await database?.drop();
  });

  it('raises a milestone at risk as days pass, delivers it signed through two failures and a restart, once', async () => {
    first = await apiProcess(database, clock, hook.url);
    const milestoneId = await milestoneOverTwoCommunes(first.test);
    const alertStream = `alert-milestone-at-risk.${milestoneId}.2026-10-20`;

    // 19 days left, nothing projected: no alert yet.
    expect((await first.watch.watch()).raised).toEqual([]);

    // Seven days left with both communes pending: the default rule's at-risk line.
    clock.set('2026-10-13T09:00:00+07:00');
    const raisedRun = await first.watch.watch();
    expect(raisedRun.raised).toEqual([`milestone-at-risk.${milestoneId}.2026-10-20`]);
    expect((await first.watch.watch()).raised).toEqual([]);
    const [raised, ...more] = await first.store.readStream(alertStream);
    expect(more).toEqual([]);
    expect(raised).toMatchObject({
      type: 'AlertRaised',
      data: {
        condition: 'milestone-at-risk',
        subject: { kind: 'milestone', id: milestoneId },
        period: '2026-10-20',
        observedOn: '2026-10-13',
        figures: { daysRemaining: 7, required: 2, pending: 2, atRiskDaysLeft: 7 },
      },
      metadata: { actor: 'system:alert-watch' },
    });

    expect((await dispatchFirst(first)).retrying).toEqual([raised.id]);
    expect(hook.received).toHaveLength(1);
    const [delivery] = hook.received;
    expect(delivery.headers['x-signature']).toBe(webhookSignature(SECRET, delivery.body));
    expect(JSON.parse(delivery.body)).toMatchObject({
      eventId: raised.id,
      type: 'AlertRaised',
      alert: { alertId: `milestone-at-risk.${milestoneId}.2026-10-20` },
    });

    // Not due again until the backoff has passed.
    expect((await first.dispatch.dispatchDue()).retrying).toEqual([]);
    clock.set(new Date(clock.now().getTime() + BACKOFF_MS).toISOString());
    expect((await first.dispatch.dispatchDue()).retrying).toEqual([raised.id]);
    expect(hook.received).toHaveLength(2);

    // Restart: the second process finds the alert raised and the delivery where it was.
    await first.test.close();
    first = undefined;
    second = await apiProcess(database, clock, hook.url);
    expect(await second.watch.watch()).toEqual({ raised: [], cleared: [], skipped: [] });
    expect((await second.dispatch.dispatchDue()).delivered).toEqual([]);
    clock.set(new Date(clock.now().getTime() + 2 * BACKOFF_MS).toISOString());
    expect((await second.dispatch.dispatchDue()).delivered).toEqual([raised.id]);
    expect(await second.dispatch.dispatchDue()).toEqual({
      delivered: [],
      retrying: [],
      failed: [],
    });

    expect(hook.received).toHaveLength(3);
    expect(new Set(hook.received.map(({ body }) => body)).size).toBe(1);
    expect(await second.store.readStream(alertStream)).toHaveLength(1);

    const auditor = await bearer('auditor');
    const log = await request(second.test.app.getHttpServer())
      .get('/alerts/deliveries')
      .set('Authorization', auditor)
      .expect(200);
    expect(log.body.deliveries).toEqual([
      expect.objectContaining({
        eventId: raised.id,
        status: 'delivered',
        attempts: 3,
        log: [
          expect.objectContaining({ attempt: 1, responseStatus: 500, error: 'HTTP 500' }),
          expect.objectContaining({ attempt: 2, responseStatus: 503, error: 'HTTP 503' }),
          expect.objectContaining({ attempt: 3, responseStatus: 200, error: null }),
        ],
      }),
    ]);
  });
});
