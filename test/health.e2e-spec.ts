import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore } from '#event-store';
import { newEvent } from '#event-store/testing';
import { type Projection, ProjectionRunner } from '#projections';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { createTestApp, type TestApp } from './support/app.js';

/** Counts events per type; `failing` refuses every batch until switched off. */
function eventCounts(name: string, control: { failing: boolean }): Projection {
  return {
    name,
    tables: ['test_event_counts'],
    async apply(events, context) {
      if (control.failing) throw new Error('the read model is unavailable');
      const counts = new Map<string, number>();
      for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
      await context.query(
        `INSERT INTO ${context.table('test_event_counts')} AS c (type, count)
         SELECT * FROM unnest($1::text[], $2::int[])
         ON CONFLICT (type) DO UPDATE SET count = c.count + excluded.count`,
        [[...counts.keys()], [...counts.values()]],
      );
    },
  };
}

describe('GET /health', () => {
  let subject: TestApp;
  const control = { failing: false };
  const http = () => request(subject.app.getHttpServer());

  beforeAll(async () => {
    subject = await createTestApp({
      projections: [eventCounts('event-counts', control)],
      prepare: async (url) => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(
          'CREATE TABLE test_event_counts (type text PRIMARY KEY, count int NOT NULL)',
        );
        await client.end();
      },
    });
  });
  afterAll(() => subject?.close());

  it('reports the database, the event store head and each projection’s checkpoint and lag', async () => {
    const store = subject.app.get(EventStore);
    const { position } = await store.append(`health-${randomUUID()}`, [newEvent(), newEvent()], {
      expectedRevision: 'no_stream',
    });
    await subject.app.get(ProjectionRunner).caughtUp(position);

    const response = await http().get('/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.info.database.status).toBe('up');
    expect(response.body.info.eventStore).toEqual({ status: 'up', head: position });
    expect(response.body.info.projections.projections).toEqual([
      {
        projection: 'event-counts',
        state: 'running',
        checkpoint: position,
        head: position,
        lag: 0,
      },
    ]);
  });

  it('shows a failing projection as degraded, with its lag and error, and recovers', async () => {
    control.failing = true;
    const store = subject.app.get(EventStore);
    const { position } = await store.append(`health-${randomUUID()}`, [newEvent()], {
      expectedRevision: 'no_stream',
    });
    let body: { status: string; info?: Record<string, { projections?: unknown[] }> } = {
      status: '',
    };
    for (let tries = 0; tries < 100 && body.status !== 'degraded'; tries++) {
      body = (await http().get('/health').expect(200)).body;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(body.status).toBe('degraded');
    expect(JSON.stringify(body)).toContain('the read model is unavailable');
    expect(JSON.stringify(body)).toMatch(/"lag":1\b/);

    control.failing = false;
    await subject.app.get(ProjectionRunner).caughtUp(position, 30_000);
    expect((await http().get('/health').expect(200)).body.status).toBe('ok');
  });

  it('answers 503 naming what is down while the database refuses connections, and recovers', async () => {
    const name = new URL(subject.database.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      const response = await http().get('/health').expect(503);
      expect(response.body).toMatchObject({ statusCode: 503, error: 'unhealthy' });
      expect(response.body.message).toMatch(/database is down/);
      expect(response.body.message).toMatch(/eventStore is down/);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    let status = 0;
    for (let tries = 0; tries < 100 && status !== 200; tries++) {
      status = (await http().get('/health')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
  });
});
