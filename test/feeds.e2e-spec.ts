import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';
import { type ServerSentEvent, serverSentEvents } from './support/sse.js';
import { MovableClock } from './support/movable-clock.js';
import { Clock } from '../apps/api/src/clock.js';

type Snapshot = { position: number; data: { schemes: { participants: number }[] } };

describe('the change feed of a unit (SSE)', () => {
  let test: TestApp;
  let url: string;
  let manager: string;

  beforeAll(async () => {
    test = await createTestApp();
    await test.app.listen(0, '127.0.0.1');
    url = await test.app.getUrl();
    manager = await bearer('manager');
    await record({
      command: 'RegisterUnit',
      unitId: 'FEED',
      name: 'Feed city',
      level: 'city',
      effectiveDate: '2024-01-01',
    });
    await record({
      command: 'RecordOpeningStock',
      unitId: 'FEED',
      scheme: 'health-insurance',
      date: '2024-01-01',
      participants: 1_000,
    }).then((position) =>
      // The first snapshot must already count the opening stock.
      request(test.app.getHttpServer())
        .get('/units/FEED/attainment')
        .query({ date: '2024-12-31', waitForPosition: position })
        .set('Authorization', manager)
        .expect(200),
    );
  });
  afterAll(() => test?.close());

  let day = 1;
  const record = async (row: object) =>
    (
      await request(test.app.getHttpServer())
        .post('/imports')
        .set('Authorization', manager)
        .send([row])
        .expect(201)
    ).body.position as number;
  const report = (gains: number) =>
    record({
      command: 'ReportParticipation',
      unitId: 'FEED',
      scheme: 'health-insurance',
      date: `2024-02-${String(day++).padStart(2, '0')}`,
      gains,
      stops: 0,
    });
  const streamToken = async () =>
    (
      await request(test.app.getHttpServer())
        .post('/auth/stream-token')
        .set('Authorization', await bearer('viewer'))
        .expect(200)
    ).body.token as string;

  /** Connects and hands over the events one by one; each `next` fails after 5 s of silence. */
  const connect = async (lastEventId?: string) => {
    const controller = new AbortController();
    const feed = `${url}/feeds/units/FEED?scheme=health-insurance&date=2024-12-31&access_token=${await streamToken()}`;
    const events = serverSentEvents(
      feed,
      lastEventId ? { 'Last-Event-ID': lastEventId } : {},
      controller.signal,
    );
    const next = async (timeoutMs = 5_000): Promise<ServerSentEvent | undefined> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>(
        (resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)),
      );
      const result = await Promise.race([
        events.next().then((item) => (item.done ? undefined : item.value)),
        timeout,
      ]);
      clearTimeout(timer);
      return result;
    };
    return { next, close: () => controller.abort() };
  };
  const participants = (event: ServerSentEvent | undefined) =>
    (JSON.parse(event!.data) as Snapshot).data.schemes[0].participants;

  it('pushes a snapshot at once, then one after each batch that changes it', async () => {
    const feed = await connect();
    const first = await feed.next();
    expect(first).toMatchObject({ event: 'attainment' });
    expect(participants(first)).toBe(1_000);
    const position = await report(10);
    const second = await feed.next();
    expect(Number(second!.id)).toBeGreaterThanOrEqual(position);
    expect(participants(second)).toBe(1_010);
    feed.close();
  });

  it('resumes from Last-Event-ID with no gap and no duplicate', async () => {
    const feed = await connect();
    const seen = await feed.next();
    feed.close();
    const missed = await report(5);
    const resumed = await connect(seen!.id);
    const caughtUp = await resumed.next();
    expect(Number(caughtUp!.id)).toBeGreaterThanOrEqual(missed);
    expect(Number(caughtUp!.id)).toBeGreaterThan(Number(seen!.id));
    expect(participants(caughtUp)).toBe(participants(seen) + 5);
    resumed.close();

    const upToDate = await connect(caughtUp!.id);
    expect(await upToDate.next(1_500)).toBeUndefined();
    upToDate.close();
  });

  it('refuses an unknown unit with 404 and a request without a token with 401', async () => {
    const token = await streamToken();
    const unknown = await fetch(`${url}/feeds/units/NOPE?access_token=${token}`);
    expect(unknown.status).toBe(404);
    await unknown.body?.cancel();
    const anonymous = await fetch(`${url}/feeds/units/FEED`);
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
  });

  it('takes a query token only on feeds', async () => {
    const token = await streamToken();
    const response = await fetch(
      `${url}/units/FEED/attainment?date=2024-12-31&access_token=${token}`,
    );
    expect(response.status).toBe(401);
    // A stream token is good for the feeds alone, however it is sent.
    const header = await fetch(`${url}/units/FEED/attainment?date=2024-12-31`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(header.status).toBe(403);
  });

  it('pushes from a second API instance that runs no projections, learning of commits through PostgreSQL LISTEN', async () => {
    const second = await createTestApp({
      sharedDatabase: test.database,
      env: { RUN_PROJECTIONS: 'false' },
    });
    try {
      await second.app.listen(0, '127.0.0.1');
      const secondUrl = await second.app.getUrl();
      const controller = new AbortController();
      const feed = `${secondUrl}/feeds/units/FEED?scheme=health-insurance&date=2024-12-31&access_token=${await streamToken()}`;
      const events = serverSentEvents(feed, {}, controller.signal);
      const first = (await events.next()).value as ServerSentEvent;
      const position = await report(3);
      const timeout = new Promise<undefined>((resolve) =>
        setTimeout(() => resolve(undefined), 5_000),
      );
      const pushed = await Promise.race([
        events.next().then((item) => item.value as ServerSentEvent),
        timeout,
      ]);
      expect(pushed).toBeDefined();
      expect(Number(pushed!.id)).toBeGreaterThanOrEqual(position);
      expect(participants(pushed)).toBe(participants(first) + 3);
      controller.abort();
    } finally {
      await second.close();
    }
  });

  it('without a date, reads the figures of the day it pushes: a feed left open past midnight moves on', async () => {
    const clock = new MovableClock('2030-01-01T23:59:00+07:00');
    const second = await createTestApp({
      sharedDatabase: test.database,
      env: { RUN_PROJECTIONS: 'false' },
      overrides: [{ provide: Clock, useValue: clock }],
    });
    try {
      await second.app.listen(0, '127.0.0.1');
      const controller = new AbortController();
      const feed = `${await second.app.getUrl()}/feeds/units/FEED?scheme=health-insurance&access_token=${await streamToken()}`;
      const events = serverSentEvents(feed, {}, controller.signal);
      // Gains that count from 2 January 2030 on: not yet on the 1st.
      const recorded = await record({
        command: 'ReportParticipation',
        unitId: 'FEED',
        scheme: 'health-insurance',
        date: '2030-01-02',
        gains: 7,
        stops: 0,
      });
      let before = (await events.next()).value as ServerSentEvent;
      while (Number(before.id) < recorded) before = (await events.next()).value as ServerSentEvent;
      clock.set('2030-01-02T00:01:00+07:00');
      const position = await report(1);
      let after = (await events.next()).value as ServerSentEvent;
      while (Number(after.id) < position) after = (await events.next()).value as ServerSentEvent;
      expect(participants(after)).toBe(participants(before) + 1 + 7);
      controller.abort();
    } finally {
      await second.close();
    }
  });

  it('shuts down while a client still follows a feed', async () => {
    const second = await createTestApp({ sharedDatabase: test.database });
    await second.app.listen(0, '127.0.0.1');
    const controller = new AbortController();
    const feed = `${await second.app.getUrl()}/feeds/units/FEED?scheme=health-insurance&date=2024-12-31&access_token=${await streamToken()}`;
    const events = serverSentEvents(feed, {}, controller.signal);
    await events.next();
    const closed = await Promise.race([
      second.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open after 10 s'), 10_000)),
    ]);
    controller.abort();
    expect(closed).toBe('closed');
  }, 20_000);

  it('keeps pushing after its listening connection is killed', async () => {
    const feed = await connect();
    const first = await feed.next();
    const { DataSource } = await import('typeorm');
    // The listener connects when the first feed subscribes, maybe after the feed's first answer.
    const kill = () =>
      test.app
        .get(DataSource)
        .query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'campaign-ledger-api feeds' AND datname = current_database()",
        );
    let killed = await kill();
    for (let tries = 0; killed.length === 0 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      killed = await kill();
    }
    expect(killed.length).toBeGreaterThan(0);
    // Give the listener its reconnection, then record a fact it must hear about.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await report(4);
    let latest = first;
    for (let event = await feed.next(); event; event = await feed.next(2_000)) {
      latest = event;
      if (participants(latest) === participants(first) + 4) break;
    }
    expect(participants(latest)).toBe(participants(first) + 4);
    feed.close();
  });
});
