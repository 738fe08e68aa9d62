import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:net';
import { ensureBuilt } from './support/build.js';
import { type Answer, LedgerService } from './support/ledger-service.js';
import { type ServerSentEvent, serverSentEvents } from './support/sse.js';

const TEST_TIMEOUT = 180_000;
const SCHEME = 'compulsory-social-insurance';

/**
 * Holds a port so that a restarted PostgreSQL cannot listen on it, cutting every connection at
 * once: the outage lasts exactly as long as the test needs, however fast the restart is.
 */
async function holdPort(port: number): Promise<Server> {
  for (let attempt = 0; ; attempt++) {
    const server = createServer((socket) => socket.destroy());
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      return server;
    } catch (error) {
      if (attempt > 50) throw error;
      await new Promise((done) => setTimeout(done, 20));
    }
  }
}

describe('the embedded PostgreSQL dies under a running service (kill -9)', () => {
  let ledger: LedgerService;

  beforeAll(async () => {
    await ensureBuilt();
    ledger = await LedgerService.create();
    await ledger.start();
  }, 150_000);

  afterAll(() => ledger?.destroy());

  it(
    'answers 503 with Retry-After while it is down, restarts it, and loses or double-counts nothing',
    async () => {
      const unitId = `OUT${randomUUID().slice(0, 8)}`;
      const recorded = await ledger.request('POST', '/units', 'manager', {
        unitId,
        name: 'Outage city',
        level: 'city',
        effectiveDate: '2024-01-01',
      });
      expect(recorded.status).toBe(201);
      expect(
        (
          await ledger.request('POST', '/opening-stocks', 'manager', {
            unitId,
            scheme: SCHEME,
            date: '2024-09-30',
            participants: 1_000,
          })
        ).status,
      ).toBe(201);
      // One report a day, each sent with its own idempotency key, as a careful client does.
      const report = (day: number) =>
        ledger.request(
          'POST',
          '/participation-reports',
          'manager',
          {
            unitId,
            scheme: SCHEME,
            date: `2024-10-${String(day).padStart(2, '0')}`,
            gains: 1,
            stops: 0,
          },
          { 'Idempotency-Key': `outage-${unitId}-${day}` },
        );
      const first = await report(1);
      expect(first.status).toBe(201);
      // The feed's first read must find the unit: wait until the read models have it.
      const known = await ledger.request(
        'GET',
        `/units/${unitId}/attainment?date=2024-10-31&scheme=${SCHEME}&waitForPosition=${first.body.position}`,
        'viewer',
      );
      expect(known.status).toBe(200);
      // A dashboard following the unit across the outage.
      const following = new AbortController();
      const pushed: ServerSentEvent[] = [];
      const feed = (async () => {
        const events = serverSentEvents(
          `${ledger.url}/feeds/units/${unitId}?date=2024-10-31&scheme=${SCHEME}`,
          { Authorization: `Bearer ${await ledger.token('viewer')}` },
          following.signal,
        );
        for await (const event of events) pushed.push(event);
      })();
      while (pushed.length === 0) await new Promise((done) => setTimeout(done, 50));

      process.kill(await ledger.postgresPid(), 'SIGKILL');
      const blocker = await holdPort(ledger.postgresPort);
      let duringOutage: Answer[];
      try {
        duringOutage = [
          await report(2),
          await ledger.request('GET', `/units/${unitId}/attainment?date=2024-10-31`, 'viewer'),
          await ledger.request('GET', '/health', 'viewer'),
        ];
      } finally {
        await new Promise((done) => blocker.close(done));
      }

      for (const answer of duringOutage) {
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      }
      expect(duringOutage[0].body).toMatchObject({ error: 'database_unavailable' });
      expect(duringOutage[1].body).toMatchObject({ error: 'database_unavailable' });
      expect(duringOutage[2].body).toMatchObject({ error: 'unhealthy' });

      await ledger.waitFor200('/health', 'viewer');
      for (let day = 2; day <= 10; day++) {
        let answer = await report(day);
        // The restarted server may still be recovering: the client retries as told.
        while (answer.status === 503) {
          await new Promise((done) => setTimeout(done, 200));
          answer = await report(day);
        }
        expect(answer.status).toBe(201);
      }
      expect((await report(2)).body).toMatchObject({ alreadyRecorded: true });

      await ledger.caughtUp();
      const figures = await ledger.request(
        'GET',
        `/units/${unitId}/attainment?date=2024-10-31&scheme=${SCHEME}`,
        'viewer',
      );
      expect(figures.body.data).toMatchObject({ schemes: [{ participants: 1_000 + 10 }] });
      // The same feed, never reconnected, pushes the figures recorded after the outage.
      const participants = (event: ServerSentEvent) =>
        JSON.parse(event.data).data.schemes[0].participants;
      while (!pushed.some((event) => participants(event) === 1_000 + 10)) {
        await new Promise((done) => setTimeout(done, 100));
      }
      following.abort();
      await feed;
      expect(await ledger.verifyReadModels()).toMatchObject({ state: 'done', match: true });
      expect((await ledger.request('GET', '/audit/log/verify', 'auditor')).body).toMatchObject({
        ok: true,
      });
      expect(ledger.service!.output).toContain('Embedded PostgreSQL exited unexpectedly');
      expect(ledger.service!.output).toContain('Embedded PostgreSQL is running again');
    },
    TEST_TIMEOUT,
  );
});
