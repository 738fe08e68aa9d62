import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore, PostgresEventStore, type StreamWrite } from '#event-store';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';

/** The store of the app, able to stop an append to a participant's stream until released. */
class GatedStore extends PostgresEventStore {
  gate?: { reached(): void; released: Promise<void> };

  override async appendToStreams(writes: StreamWrite[]) {
    const gate = this.gate;
    if (gate && writes.some((write) => write.streamId.startsWith('participant-'))) {
      this.gate = undefined;
      gate.reached();
      await gate.released;
    }
    return super.appendToStreams(writes);
  }
}

describe('a command decided on a stream it only read', () => {
  let test: TestApp;
  let pool: pg.Pool;
  let store: GatedStore;
  let manager: string;

  beforeAll(async () => {
    test = await createTestApp({
      prepare: async (databaseUrl) => {
        pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
        // The database is dropped when the test ends, closing what the pool still holds.
        pool.on('error', () => undefined);
        store = new GatedStore(pool, { pollIntervalMs: 20 });
      },
      // The app's store, made once the test database exists: reached through a proxy.
      overrides: [
        {
          provide: EventStore,
          useValue: new Proxy({}, { get: (_, key) => Reflect.get(store, key, store) }),
        },
      ],
    });
    manager = await bearer('manager');
  });
  afterAll(async () => {
    await test.close();
    await pool.end();
  });

  const post = (path: string, body: object) =>
    request(test.app.getHttpServer()).post(path).set('Authorization', manager).send(body);
  const code = () => `U${randomUUID().slice(0, 8)}`;

  it('is refused when a unit it checked is merged before it commits', async () => {
    const [city, merged, into] = [code(), code(), code()];
    await post('/units', {
      unitId: city,
      name: city,
      level: 'city',
      effectiveDate: '2024-01-01',
    }).expect(201);
    for (const unitId of [merged, into]) {
      await post('/units', {
        unitId,
        name: unitId,
        level: 'commune',
        parentId: city,
        effectiveDate: '2024-01-01',
      }).expect(201);
    }
    let reached!: () => void;
    let release!: () => void;
    const atCommit = new Promise<void>((resolve) => (reached = resolve));
    store.gate = { reached, released: new Promise<void>((resolve) => (release = resolve)) };

    // Decided while the unit is active; its append waits until the merge has landed.
    const enrollment = post(`/participants/P${randomUUID().slice(0, 8)}/enrollments`, {
      scheme: 'voluntary-social-insurance',
      unitId: merged,
      enrolledOn: '2025-09-05',
      paidUntil: '2025-09-30',
    }).then((response) => response);
    await atCommit;
    await post('/units/merges', {
      unitIds: [merged],
      intoUnitId: into,
      effectiveDate: '2025-07-01',
    }).expect(201);
    release();

    const answer = await enrollment;
    expect({ status: answer.status, error: answer.body.error }).toEqual({
      status: 409,
      error: 'unit_merged',
    });
  });
});
