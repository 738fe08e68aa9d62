import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';

type Status = {
  projections: { projection: string; checkpoint: number }[];
  rebuilds: { projection: string; state: string; position?: number }[];
};

describe('rebuilding read models (HTTP)', () => {
  let test: TestApp;
  let admin: string;
  let position = 0;

  beforeAll(async () => {
    test = await createTestApp();
    admin = await bearer('admin');
    const rows: object[] = [
      {
        command: 'RegisterUnit',
        unitId: 'RB',
        name: 'Rebuild city',
        level: 'city',
        effectiveDate: '2024-01-01',
      },
      {
        command: 'RecordOpeningStock',
        unitId: 'RB',
        scheme: 'health-insurance',
        date: '2024-01-01',
        participants: 1_000,
      },
    ];
    for (let day = 2; day <= 200; day++) {
      const date = new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
      rows.push({
        command: 'ReportParticipation',
        unitId: 'RB',
        scheme: 'health-insurance',
        date,
        gains: 7,
        stops: 2,
      });
    }
    position = (
      await request(test.app.getHttpServer())
        .post('/imports')
        .set('Authorization', admin)
        .send(rows)
        .expect(201)
    ).body.position;
  });
  afterAll(() => test?.close());

  const participants = async () => {
    const response = await request(test.app.getHttpServer())
      .get('/units/RB/attainment')
      .query({ date: '2024-07-18', scheme: 'health-insurance', waitForPosition: position })
      .set('Authorization', admin)
      .expect(200);
    return response.body.data.schemes[0].participants as number;
  };
  const status = async (): Promise<Status> =>
    (
      await request(test.app.getHttpServer())
        .get('/admin/projections')
        .set('Authorization', admin)
        .expect(200)
    ).body;

  it('rebuilds while queries keep answering the same figures, then swaps in equal tables', async () => {
    const before = await participants();
    expect(before).toBe(1_000 + 199 * 5);
    for (const projection of ['participation', 'unit-hierarchy']) {
      const started = await request(test.app.getHttpServer())
        .post(`/admin/projections/${projection}/rebuild`)
        .set('Authorization', admin)
        .expect(202);
      expect(started.body).toMatchObject({ projection, state: 'running' });
    }
    const answers: number[] = [];
    for (;;) {
      answers.push(await participants());
      const { rebuilds } = await status();
      if (rebuilds.every(({ state }) => state !== 'running')) {
        expect(rebuilds.map(({ state }) => state)).toEqual(['done', 'done']);
        break;
      }
    }
    expect(new Set(answers)).toEqual(new Set([before]));
    expect(await participants()).toBe(before);
  });

  it('rebuilds several read models together, and refuses a request naming an unknown one, starting none', async () => {
    const before = await participants();
    const refused = await request(test.app.getHttpServer())
      .post('/admin/projections/rebuilds')
      .set('Authorization', admin)
      .send({ projections: ['plans', 'nothing'] })
      .expect(404);
    expect(refused.body).toMatchObject({ error: 'unknown_projection' });
    const invalid = await request(test.app.getHttpServer())
      .post('/admin/projections/rebuilds')
      .set('Authorization', admin)
      .send({ projections: 'plans' })
      .expect(400);
    expect(JSON.stringify(invalid.body)).toMatch(/projections/);
    expect((await status()).rebuilds.map(({ projection }) => projection)).not.toContain('plans');

    const started = await request(test.app.getHttpServer())
      .post('/admin/projections/rebuilds')
      .set('Authorization', admin)
      .send({ projections: ['plans', 'participation'] })
      .expect(202);
    expect(started.body).toMatchObject([
      { projection: 'plans', state: 'running' },
      { projection: 'participation', state: 'running' },
    ]);
    let rebuilds: Status['rebuilds'];
    do {
      rebuilds = (await status()).rebuilds.filter(({ projection }) =>
        ['plans', 'participation'].includes(projection),
      );
    } while (rebuilds.some(({ state }) => state === 'running'));
    expect(rebuilds).toEqual([
      expect.objectContaining({ projection: 'participation', state: 'done' }),
      expect.objectContaining({ projection: 'plans', state: 'done' }),
    ]);
    expect(await participants()).toBe(before);
  });

  it('refuses an unknown projection, and anyone but an admin', async () => {
    const unknown = await request(test.app.getHttpServer())
      .post('/admin/projections/nothing/rebuild')
      .set('Authorization', admin)
      .expect(404);
    expect(unknown.body).toMatchObject({
      error: 'unknown_projection',
      message: expect.stringMatching(/known: .*participation/),
    });
    await request(test.app.getHttpServer())
      .post('/admin/projections/participation/rebuild')
      .set('Authorization', await bearer('manager'))
      .expect(403);
  });
});
