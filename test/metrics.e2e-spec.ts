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
});
