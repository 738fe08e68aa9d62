import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FeedRegistry } from '../apps/api/src/feeds/feed-registry.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';

describe('limits on open change feeds (SSE)', () => {
  let test: TestApp;
  let url: string;
  const open: AbortController[] = [];

  beforeAll(async () => {
    test = await createTestApp({ env: { FEEDS_MAX: '3', FEEDS_MAX_PER_TOKEN: '2' } });
    await test.app.listen(0, '127.0.0.1');
    url = await test.app.getUrl();
    const manager = await bearer('manager');
    const { position } = (
      await request(test.app.getHttpServer())
        .post('/units')
        .set('Authorization', manager)
        .send({ unitId: 'LIMITS', name: 'Limits city', level: 'city', effectiveDate: '2024-01-01' })
        .expect(201)
    ).body;
    // A feed's first read must find the unit: wait until the read models have it.
    await request(test.app.getHttpServer())
      .get('/units/LIMITS/attainment')
      .query({ date: '2024-12-31', waitForPosition: position })
      .set('Authorization', manager)
      .expect(200);
  });
  afterAll(async () => {
    for (const connection of open) connection.abort();
    await test?.close();
  });

  /** Opens a feed and keeps it open; answers its status and, when refused, its body. */
  async function follow(token: string) {
    const connection = new AbortController();
    open.push(connection);
    const response = await fetch(`${url}/feeds/units/LIMITS?date=2024-12-31`, {
      headers: { Authorization: token, Accept: 'text/event-stream' },
      signal: connection.signal,
    });
    const body = response.ok ? undefined : await response.json();
    return { status: response.status, body, headers: response.headers, connection };
  }

  const counts = () => test.app.get(FeedRegistry).feedCounts;
  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((done) => setTimeout(done, 10));
  }

  it('refuses a token its third feed (429), the process its fourth (503), and counts them', async () => {
    const alice = await bearer('viewer', { subject: 'alice' });
    const bob = await bearer('viewer', { subject: 'bob' });
    const carol = await bearer('viewer', { subject: 'carol' });

    const [first, second] = [await follow(alice), await follow(alice)];
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await follow(alice);
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ error: 'too_many_feeds' });
    expect(third.body.message).toContain('FEEDS_MAX_PER_TOKEN');

    expect((await follow(bob)).status).toBe(200);
    const fourth = await follow(carol);
    expect(fourth.status).toBe(503);
    expect(fourth.body).toMatchObject({ error: 'feeds_at_capacity' });
    expect(fourth.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(counts()).toMatchObject({
      open: 3,
      opened: 3,
      refusedPerToken: 1,
      refusedAtCapacity: 1,
    });

    // A client that leaves frees its place.
    first.connection.abort();
    await until(() => counts().open === 2);
    expect((await follow(carol)).status).toBe(200);
    expect(counts()).toMatchObject({ open: 3, opened: 4 });
  });
});
