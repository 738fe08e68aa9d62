import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';

/**
 * Positions may skip: one drawn by an append that rolled back, or that a crash cut short, is
 * never used. Lag counts the events after a checkpoint, not the positions.
 */
describe('lag when the log has position gaps', () => {
  let test: TestApp;

  beforeAll(async () => {
    // No projections run here: every checkpoint stays at 0, behind the whole log.
    test = await createTestApp({ env: { RUN_PROJECTIONS: 'false' } });
  });
  afterAll(() => test?.close());

  it('reports in /health and in read answers the events after the checkpoint, not head minus checkpoint', async () => {
    const manager = await bearer('manager');
    const record = async () =>
      (
        await request(test.app.getHttpServer())
          .post('/units')
          .set('Authorization', manager)
          .send({
            unitId: `GAP${randomUUID().slice(0, 8)}`,
            name: 'Gap city',
            level: 'city',
            effectiveDate: '2024-01-01',
          })
          .expect(201)
      ).body.position as number;
    const client = new pg.Client({ connectionString: test.database.url });
    await client.connect();
    let events: number;
    let head: number;
    try {
      await record();
      // What a crash or a rolled-back append leaves behind: positions drawn and never used.
      await client.query(
        `SELECT nextval(pg_get_serial_sequence('events', 'global_position'))
         FROM generate_series(1, 16)`,
      );
      head = await record();
      events = (await client.query('SELECT count(*)::int AS events FROM events')).rows[0].events;
    } finally {
      await client.end();
    }
    expect(head).toBeGreaterThanOrEqual(events + 16);

    const health = await request(test.app.getHttpServer()).get('/health').expect(200);
    const projections: { lag: number }[] = health.body.info.projections.projections;
    expect(new Set(projections.map(({ lag }) => lag))).toEqual(new Set([events]));
    expect(health.body.info.eventStore.head).toBe(head);

    const read = await request(test.app.getHttpServer())
      .get('/campaigns')
      .set('Authorization', await bearer('viewer'))
      .expect(200);
    expect(read.body).toMatchObject({ position: 0, head, lag: events });
  });
});
