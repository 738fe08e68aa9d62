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
