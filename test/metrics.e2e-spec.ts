import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
