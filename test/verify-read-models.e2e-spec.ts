import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';

type Verification = {
  id: string;
  state: 'running' | 'done' | 'failed';
  projections: string[];
  startedBy: string;
  match?: boolean;
  results: {
    projection: string;
    position: number;
    match: boolean;
    tables: { table: string; live: { rows: number }; rebuilt: { rows: number }; match: boolean }[];
  }[];
  failures: { projection: string; error: string }[];
};

describe('verifying read models (HTTP)', () => {
  let test: TestApp;
  let auditor: string;
  let position = 0;

  beforeAll(async () => {
    test = await createTestApp();
    auditor = await bearer('auditor', { subject: 'auditor-1' });
    const rows: object[] = [
      {
        command: 'RegisterUnit',
        unitId: 'VF',
        name: 'Verify city',
        level: 'city',
        effectiveDate: '2024-01-01',
      },
      {
        command: 'RecordOpeningStock',
        unitId: 'VF',
        scheme: 'health-insurance',
        date: '2024-01-01',
        participants: 500,
      },
    ];
    for (let day = 2; day <= 30; day++) {
      rows.push({
        command: 'ReportParticipation',
        unitId: 'VF',
        scheme: 'health-insurance',
        date: `2024-01-${String(day).padStart(2, '0')}`,
        gains: 4,
        stops: 1,
      });
    }
    position = (
      await request(test.app.getHttpServer())
        .post('/imports')
        .set('Authorization', await bearer('manager'))
        .send(rows)
        .expect(201)
    ).body.position;
  });
  afterAll(() => test?.close());

  const start = (body: object | undefined, token = auditor) => {
    const post = request(test.app.getHttpServer())
      .post('/audit/read-models/verifications')
      .set('Authorization', token);
    return body === undefined ? post : post.send(body);
  };
  const read = async (id: string): Promise<Verification> =>
    (
      await request(test.app.getHttpServer())
        .get(`/audit/read-models/verifications/${id}`)
        .set('Authorization', auditor)
        .expect(200)
    ).body;
  const outcome = async (id: string): Promise<Verification> => {
    for (;;) {
      const verification = await read(id);
      if (verification.state !== 'running') return verification;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('lets an auditor verify every read model and read that each matches the log', async () => {
    const started = await start(undefined).expect(202);
    expect(started.body).toMatchObject({
      state: 'running',
      startedBy: 'auditor-1',
      projections: expect.arrayContaining(['participation', 'unit-hierarchy', 'debt']),
    });
    const done = await outcome(started.body.id);
    expect(done).toMatchObject({ state: 'done', match: true, failures: [] });
    expect(done.results.map(({ projection }) => projection)).toEqual(started.body.projections);
    const participation = done.results.find(({ projection }) => projection === 'participation');
    expect(participation).toMatchObject({
      position: expect.any(Number),
      match: true,
      tables: expect.arrayContaining([
        expect.objectContaining({
          table: 'participation_changes',
          live: expect.objectContaining({ rows: 30 }),
        }),
      ]),
    });
    expect(participation!.position).toBeGreaterThanOrEqual(position);

    const list = await request(test.app.getHttpServer())
      .get('/audit/read-models/verifications')
      .set('Authorization', await bearer('admin'))
      .expect(200);
    expect(list.body.verifications[0]).toMatchObject({ id: started.body.id, state: 'done' });
  });

  it('reports the projection and table whose live rows differ from the replay', async () => {
    const client = new pg.Client({ connectionString: test.database.url });
    await client.connect();
    try {
      await client.query(
        `UPDATE participation_changes SET gains = gains + 1 WHERE unit_id = 'VF' AND day = '2024-01-05'`,
      );
    } finally {
      await client.end();
    }
    const started = await start({ projections: ['participation', 'unit-hierarchy'] }).expect(202);
    const done = await outcome(started.body.id);
    expect(done.state).toBe('done');
    expect(done.match).toBe(false);
    expect(
      done.results.map(({ projection, match, tables }) => ({
        projection,
        match,
        // A live row edited by hand is also in the history's view of it at earlier positions.
        differing: [
          ...new Set(
            tables
              .filter((table) => !table.match)
              .map(({ table }) => table.split(' as known at ')[0]),
          ),
        ],
      })),
    ).toEqual([
      { projection: 'participation', match: false, differing: ['participation_changes'] },
      { projection: 'unit-hierarchy', match: true, differing: [] },
    ]);
  });

  it('refuses viewers, managers and agents, unknown projections and invalid bodies', async () => {
    for (const role of ['viewer', 'manager'] as const) {
      await start({}, await bearer(role)).expect(403);
    }
    await start({}, await bearer('agent', { organizationId: 'ORG-1' })).expect(403);
    await request(test.app.getHttpServer())
      .get('/audit/read-models/verifications')
      .set('Authorization', await bearer('viewer'))
      .expect(403);

    const unknown = await start({ projections: ['participation', 'nothing'] }).expect(404);
    expect(unknown.body).toMatchObject({
      error: 'unknown_projection',
      message: expect.stringMatching(/'nothing'/),
    });
    await start({ projections: 'participation' }).expect(400);
    await start({ projections: [] }).expect(400);
    await start({ everything: true }).expect(400);
    await request(test.app.getHttpServer())
      .get('/audit/read-models/verifications/not-an-id')
      .set('Authorization', auditor)
      .expect(404);
  });

  it('refuses a second verification while one runs', async () => {
    const first = await start({}).expect(202);
    const second = await start({ projections: ['debt'] }).expect(409);
    expect(second.body).toMatchObject({ error: 'verification_refused' });
    await outcome(first.body.id);
  });
});
