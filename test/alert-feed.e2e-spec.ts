import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AlertWatch } from '../apps/api/src/alerts/watch/alert-watch.js';
import { createAlertTestApp, addMilestone, addProvince, codes } from './support/alert-fixtures.js';
import { type TestApp, bearer } from './support/app.js';
import { MovableClock } from './support/movable-clock.js';
import { type ServerSentEvent, serverSentEvents } from './support/sse.js';

const code = codes('F');

type AlertList = {
  data: { alerts: { alertId: string; status: string; acknowledgedBy: string | null }[] };
  position: number;
};

/** The alerts feed (SSE, resumable) and the alert list as known at an earlier time. */
describe('alerts feed and alerts as known at a time', () => {
  const clock = new MovableClock('2026-10-13T09:00:00+07:00');
  let test: TestApp;
  let url: string;
  let manager: string;
  let province: string;
  const http = () => request(test.app.getHttpServer());
  const post = (path: string, body: object) =>
    http().post(path).set('Authorization', manager).send(body);
  const watch = () => test.app.get(AlertWatch).watch();

  beforeAll(async () => {
    test = await createAlertTestApp({ clock });
    await test.app.listen(0, '127.0.0.1');
    url = await test.app.getUrl();
    manager = await bearer('manager');
    province = await addProvince(post, code(), [{ unitId: code(), name: 'Commune' }]);
  });
  afterAll(() => test?.close());

  const setMilestone = (deadline: string) =>
    addMilestone(post, {
      milestoneId: code(),
      deadline,
      scopeUnitId: province,
      setOn: '2026-09-15',
    });

  /** Follows the feed; `next()` waits for the following message. */
  function follow(query: string, headers: Record<string, string> = {}) {
    const connection = new AbortController();
    const events = serverSentEvents(
      `${url}/feeds/alerts?${query}`,
      { Authorization: manager, ...headers },
      connection.signal,
    );
    return {
      next: async (): Promise<ServerSentEvent & { list: AlertList }> => {
        const { value, done } = await events.next();
        if (done) throw new Error('the feed ended');
        return { ...value, list: JSON.parse(value.data) };
      },
      close: () => connection.abort(),
    };
  }
  type Feed = ReturnType<typeof follow>;
  /**
   * The first snapshot that shows what is awaited: the alerts projection also commits batches
   * that change nothing here (the milestone's own events), each a snapshot of its own.
   */
  async function until(feed: Feed, shows: (list: AlertList) => boolean) {
    for (;;) {
      const message = await feed.next();
      if (shows(message.list)) return message;
    }
  }

  it('pushes the alert list as alerts are raised, acknowledged and cleared; Last-Event-ID resumes', async () => {
    clock.set('2026-10-13T09:00:00+07:00');
    const milestoneId = await setMilestone('2026-10-20');
    const atRisk = `milestone-at-risk.${milestoneId}.2026-10-20`;
    const feed = follow(`subjectId=${milestoneId}`);
    const first = await feed.next();
    expect(first.event).toBe('alerts');
    expect(first.list.data.alerts).toEqual([]);

    expect((await watch()).raised).toContain(atRisk);
    const raised = await until(feed, ({ data }) => data.alerts.length > 0);
    expect(Number(raised.id)).toBeGreaterThan(Number(first.id));
    expect(raised.list.data.alerts).toEqual([
      expect.objectContaining({ alertId: atRisk, status: 'raised', acknowledgedBy: null }),
    ]);
    feed.close();

    // Acknowledged while nobody follows: a client resuming from the raise gets only the news.
    await post(`/alerts/${atRisk}/acknowledgements`, { note: 'Calling the communes' }).expect(201);
    const resumed = follow(`subjectId=${milestoneId}`, { 'Last-Event-ID': raised.id! });
    const acknowledged = await until(
      resumed,
      ({ data }) => data.alerts[0]?.acknowledgedBy !== null,
    );
    expect(Number(acknowledged.id)).toBeGreaterThan(Number(raised.id));
    expect(acknowledged.list.data.alerts[0]).toMatchObject({
      alertId: atRisk,
      acknowledgedBy: 'test-manager',
    });

    clock.set('2026-10-21T09:00:00+07:00');
    expect((await watch()).cleared).toContain(atRisk);
    // The clear and the raise are two appends: a snapshot may come between them.
    const missed = await until(resumed, ({ data }) => data.alerts.length === 2);
    expect(missed.list.data.alerts.map(({ alertId, status }) => [alertId, status])).toEqual([
      [`milestone-missed.${milestoneId}.2026-10-20`, 'raised'],
      [atRisk, 'cleared'],
    ]);
    resumed.close();
  });

  it('sends nothing to a client that already has the latest snapshot', async () => {
    clock.set('2026-11-13T09:00:00+07:00');
    const milestoneId = await setMilestone('2026-11-20');
    await watch();
    const feed = follow(`subjectId=${milestoneId}`);
    const latest = await until(feed, ({ data }) => data.alerts.length === 1);
    feed.close();
    const again = follow(`subjectId=${milestoneId}`, { 'Last-Event-ID': latest.id! });
    await post(`/alerts/milestone-at-risk.${milestoneId}.2026-11-20/acknowledgements`, {
      note: null,
    }).expect(201);
    // The first message is news, never the snapshot the client already has.
    const next = await again.next();
    expect(Number(next.id)).toBeGreaterThan(Number(latest.id));
    const acknowledged =
      next.list.data.alerts[0].acknowledgedBy !== null
        ? next
        : await until(again, ({ data }) => data.alerts[0].acknowledgedBy !== null);
    expect(acknowledged.list.data.alerts[0].acknowledgedBy).toBe('test-manager');
    again.close();
  });

  it('refuses a bad filter with 400 naming the field, and a feed without a token', async () => {
    const bad = await http()
      .get('/feeds/alerts?status=burning')
      .set('Authorization', manager)
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('status');
    await http().get('/feeds/alerts').expect(401);
  });

  it('answers /alerts as it stood at an earlier time (knownAt)', async () => {
    clock.set('2026-12-10T09:00:00+07:00');
    const milestoneId = await setMilestone('2026-12-15');
    const alertId = `milestone-at-risk.${milestoneId}.2026-12-15`;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const beforeRaise = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await watch()).raised).toContain(alertId);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const beforeAcknowledgement = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { position } = (
      await post(`/alerts/${alertId}/acknowledgements`, { note: 'Seen' }).expect(201)
    ).body;

    const knownAt = async (at?: string) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const response = await http()
          .get('/alerts')
          .query(
            at
              ? { subjectId: milestoneId, knownAt: at }
              : { subjectId: milestoneId, waitForPosition: position },
          )
          .set('Authorization', manager);
        if (response.status === 200) return response.body.data.alerts;
        expect(response.body.error).toBe('known_at_building');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('the known-at snapshot was never built');
    };
    expect(await knownAt(beforeRaise)).toEqual([]);
    expect(await knownAt(beforeAcknowledgement)).toEqual([
      expect.objectContaining({ alertId, status: 'raised', acknowledgedBy: null, note: null }),
    ]);
    expect(await knownAt()).toEqual([
      expect.objectContaining({
        alertId,
        status: 'raised',
        acknowledgedBy: 'test-manager',
        note: 'Seen',
      }),
    ]);
  });
});
