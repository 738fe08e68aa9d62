import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';

describe('GET /metrics', () => {
  let test: TestApp;
  const http = () => request(test.app.getHttpServer());

  beforeAll(async () => {
    test = await createTestApp();
  });
  afterAll(() => test?.close());

  it('answers in the Prometheus text format, without a token', async () => {
    const response = await http().get('/metrics').expect(200);

    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.text).toMatch(/^# HELP ledger_event_store_head_position /m);
    expect(response.text).toMatch(/^ledger_process_cpu_seconds_total \d/m);
  });

  it('times requests by route template and status, not by path', async () => {
    const token = await bearer('viewer');
    await http().get('/units/NO-SUCH-UNIT/attainment').set('Authorization', token);
    await http().get('/health').expect(200);

    const { text } = await http().get('/metrics').expect(200);

    expect(text).toMatch(
      /^ledger_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^ledger_http_request_duration_seconds_count\{method="GET",route="\/units\/:unitId\/attainment",status="4\d\d"\} 1$/m,
    );
    expect(text).not.toContain('NO-SUCH-UNIT');
  });

  it("reports each projection's lag and checkpoint", async () => {
    const { text } = await http().get('/metrics').expect(200);

    expect(text).toMatch(/^ledger_projection_lag\{projection="participation"\} \d+$/m);
    expect(text).toMatch(/^ledger_projection_checkpoint\{projection="participation"\} \d+$/m);
    expect(text).toMatch(
      /^ledger_projection_running\{projection="participation",state="\w+"\} 1$/m,
    );
  });

  it('times projection batches and rebuilds, and counts the events they apply', async () => {
    const admin = await bearer('admin');
    const rows = [
      {
        command: 'RegisterUnit',
        unitId: 'MX',
        name: 'Metrics city',
        level: 'city',
        effectiveDate: '2024-01-01',
      },
      {
        command: 'RecordOpeningStock',
        unitId: 'MX',
        scheme: 'health-insurance',
        date: '2024-01-01',
        participants: 10,
      },
    ];
    const { position } = (
      await http().post('/imports').set('Authorization', admin).send(rows).expect(201)
    ).body as { position: number };
    const metric = (text: string, series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const checkpoint = 'ledger_projection_checkpoint{projection="participation"}';
    const liveEvents = 'ledger_projection_events_total{projection="participation",work="live"}';
    const rebuildEvents =
      'ledger_projection_events_total{projection="participation",work="rebuild"}';
    /** Scrapes until `series` has reached `least`, or gives up after a few hundred tries. */
    const scrapeUntil = async (series: string, least: number) => {
      let text = '';
      for (let tries = 0; tries < 500 && !(Number(metric(text, series)) >= least); tries++) {
        text = (await http().get('/metrics').expect(200)).text;
      }
      return text;
    };
    // The runner tells its observers after the commit: the counter follows the checkpoint.
    let text = await scrapeUntil(liveEvents, position);

    expect(metric(text, liveEvents)).toBe(metric(text, checkpoint));
    expect(
      metric(text, 'ledger_projection_batch_duration_seconds_count{projection="participation"}'),
    ).toBeGreaterThan(0);

    await http()
      .post('/admin/projections/participation/rebuild')
      .set('Authorization', admin)
      .expect(202);
    text = await scrapeUntil(rebuildEvents, position);
    const { rebuilds } = (
      await http().get('/admin/projections').set('Authorization', admin).expect(200)
    ).body as { rebuilds: { projection: string; state: string; position?: number }[] };
    const rebuilt = rebuilds.find((r) => r.projection === 'participation');

    expect(
      metric(
        text,
        'ledger_projection_rebuild_duration_seconds_count{projection="participation",outcome="done"}',
      ),
    ).toBe(1);
    // Its replay's transactions took part of the rebuild's time, never more.
    const transactions = metric(
      text,
      'ledger_projection_rebuild_transaction_seconds_total{projection="participation"}',
    );
    expect(transactions).toBeGreaterThan(0);
    expect(transactions).toBeLessThanOrEqual(
      metric(
        text,
        'ledger_projection_rebuild_duration_seconds_sum{projection="participation",outcome="done"}',
      )!,
    );
    // Positions of the PostgreSQL log have no gaps: the rebuild replayed every event up to its own.
    expect(rebuilt).toMatchObject({ state: 'done', position: expect.any(Number) });
    expect(metric(text, rebuildEvents)).toBe(rebuilt?.position);
  });

  it('counts and times the snapshots made for reads as known at a time', async () => {
    const builds = (text: string) =>
      Number(/^ledger_known_at_builds_total\{kind="views"\} (\d+)$/m.exec(text)?.[1]);
    const before = builds((await http().get('/metrics').expect(200)).text);

    await http()
      .get(`/campaigns?knownAt=${new Date().toISOString()}`)
      .set('Authorization', await bearer('auditor'))
      .expect(200);

    const { text } = await http().get('/metrics').expect(200);
    expect(builds(text)).toBe(before + 1);
    expect(text).toMatch(/^ledger_known_at_build_seconds_count\{kind="views"\} [1-9]\d*$/m);
    expect(text).toMatch(/^ledger_known_at_builds_total\{kind="replay"\} 0$/m);
  });

  it('counts appends and events, and the appends each commit carried', async () => {
    const manager = await bearer('manager');
    const figure = (text: string, name: string) =>
      Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
    const before = (await http().get('/metrics').expect(200)).text;

    // Three commands at once: each appends one event; they commit in one to three groups.
    await Promise.all(
      ['A', 'B', 'C'].map((suffix) =>
        http()
          .post('/units')
          .set('Authorization', manager)
          .send({
            unitId: `METRICS-${suffix}-${randomUUID().slice(0, 8)}`,
            name: 'Metrics',
            level: 'province',
            effectiveDate: '2024-01-01',
          })
          .expect(201),
      ),
    );
    const after = (await http().get('/metrics').expect(200)).text;

    const delta = (name: string) => figure(after, name) - figure(before, name);
    expect(delta('ledger_event_store_appends_total')).toBe(3);
    expect(delta('ledger_event_store_events_total')).toBe(3);
    // Every append in some commit: the commits' sizes add up to the appends.
    expect(delta('ledger_event_store_commit_appends_sum')).toBe(3);
    expect(delta('ledger_event_store_commit_appends_count')).toBeGreaterThanOrEqual(1);
    expect(delta('ledger_event_store_commit_appends_count')).toBeLessThanOrEqual(3);
    expect(after).toMatch(/^ledger_event_store_commit_appends_bucket\{le="1"\} \d+$/m);
  });
});

describe('GET /metrics: change-feed subscribers', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await createTestApp({ env: { ALERT_WATCH_INTERVAL_MS: '0' } });
    await test.app.listen(0, '127.0.0.1');
  });
  afterAll(() => test?.close());

  const subscribers = async (feed: string) => {
    const { text } = await request(test.app.getHttpServer()).get('/metrics').expect(200);
    const line = new RegExp(`^ledger_feed_subscribers\\{feed="${feed}"\\} (\\d+)$`, 'm');
    return Number(text.match(line)?.[1]);
  };

  it('counts the open connections of each feed, and 0 for a feed nobody follows', async () => {
    expect(await subscribers('alerts')).toBe(0);
    const connections = [new AbortController(), new AbortController()];
    for (const connection of connections) {
      const response = await fetch(`${await test.app.getUrl()}/feeds/alerts`, {
        headers: { Authorization: await bearer('viewer'), Accept: 'text/event-stream' },
        signal: connection.signal,
      });
      expect(response.status).toBe(200);
    }
    expect(await subscribers('alerts')).toBe(2);
    expect(await subscribers('units')).toBe(0);

    for (const connection of connections) connection.abort();
    while ((await subscribers('alerts')) !== 0) await new Promise((done) => setTimeout(done, 20));
  });
});
