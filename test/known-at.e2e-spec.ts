import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { haiPhong2024 } from '../apps/cli/src/demo/hai-phong-2024.js';
import { type DemoRow } from '../apps/cli/src/demo/demo-row.js';
import { KnownAtSnapshots } from '#projections';
import { type TestApp, bearer, createTestApp } from './support/app.js';

/** What Hai Phong recorded from October on: the restatement, the revised plan, October's reports. */
const recordedInOctober = (row: DemoRow) =>
  row.command === 'CorrectParticipationReport' ||
  row.command === 'RevisePlan' ||
  (row.command === 'ReportParticipation' && (row.date as string) > '2024-09-30');

const VOLUNTARY = 'voluntary-social-insurance';

describe('reads as known at a record time (HTTP)', () => {
  let test: TestApp;
  let manager: string;
  let auditor: string;
  let septemberKnownAt: string;
  let septemberAnswer: Record<string, unknown>;
  let position = 0;

  const importRows = async (rows: DemoRow[]) => {
    const response = await request(test.app.getHttpServer())
      .post('/imports')
      .set('Authorization', manager)
      .send(rows)
      .expect(201);
    position = response.body.position;
  };

  const attainment = (query: Record<string, unknown>, expected = 200) =>
    request(test.app.getHttpServer())
      .get('/units/HP/attainment')
      .query({ scheme: VOLUNTARY, ...query })
      .set('Authorization', auditor)
      .expect(expected);

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager', { subject: 'hai-phong-office' });
    auditor = await bearer('auditor');
    const rows = haiPhong2024();
    await importRows(rows.filter((row) => !recordedInOctober(row)));
    // What the dashboard answered before October's facts were recorded.
    septemberAnswer = (
      await attainment({ date: '2024-09-30', waitForPosition: position }).expect(200)
    ).body;
    await new Promise((resolve) => setTimeout(resolve, 20));
    septemberKnownAt = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await importRows(rows.filter(recordedInOctober));
    await attainment({ date: '2024-09-30', waitForPosition: position });
  }, 120_000);
  afterAll(() => test?.close());

  it('answers exactly what was answered at that time, though corrections were recorded since', async () => {
    const now = (await attainment({ date: '2024-09-30' })).body;
    expect(now.data.schemes[0]).toMatchObject({ participants: 36_293 });

    const then = (await attainment({ date: '2024-09-30', knownAt: septemberKnownAt })).body;
    expect(then.data).toEqual(septemberAnswer.data);
    expect(then.data.schemes[0]).toMatchObject({
      participants: 36_520,
      plan: { target: 50_137, revised: false },
      attainment: { percent: 72.84 },
    });
    expect(then.position).toBe(septemberAnswer.position);
    expect(then.knownAt).toEqual({
      at: septemberKnownAt,
      position: septemberAnswer.position,
    });
    expect(then.lag).toBe(then.head - then.position);
  });

  it('leaves out a plan revision recorded later, and now applies it from its effective date', async () => {
    const then = (await attainment({ date: '2024-10-31', knownAt: septemberKnownAt })).body;
    expect(then.data.schemes[0]).toMatchObject({
      participants: 36_520,
      plan: { target: 50_137, revised: false },
    });
    const now = (await attainment({ date: '2024-10-31' })).body;
    expect(now.data.schemes[0]).toMatchObject({
      participants: 36_421,
      plan: { target: 40_499, revised: true },
      attainment: { percent: 89.93 },
    });
  });

  it('reads the drill-down and the daily series as known at a time too', async () => {
    const children = await request(test.app.getHttpServer())
      .get('/units/HP/children/attainment')
      .query({ date: '2024-09-30', knownAt: septemberKnownAt })
      .set('Authorization', auditor)
      .expect(200);
    expect(children.body.knownAt.position).toBe(septemberAnswer.position);
    const series = await request(test.app.getHttpServer())
      .get('/units/HP/attainment/series')
      .query({ scheme: VOLUNTARY, from: '2024-09-29', to: '2024-10-02', knownAt: septemberKnownAt })
      .set('Authorization', auditor)
      .expect(200);
    const participants = series.body.data.days.map(
      (day: { participants: number }) => day.participants,
    );
    expect(participants.slice(1)).toEqual([36_520, 36_520, 36_520]);
  });

  it('finds nothing as known before the first fact was recorded', async () => {
    const response = await attainment({ date: '2024-09-30', knownAt: '2020-01-01T00:00:00Z' }, 404);
    expect(response.body.error).toBe('not_found');
  });

  it.each([
    [{ knownAt: '2999-01-01T00:00:00Z' }, 'must not be in the future'],
    [{ knownAt: '2024-10-31' }, 'must be a time in ISO 8601 with its offset'],
    [{ knownAt: '2024-10-31T00:00:00Z', waitForPosition: 1 }, 'cannot be combined'],
  ])('refuses %j with a clear reason', async (query, reason) => {
    const response = await attainment({ date: '2024-09-30', ...query }, 400);
    expect(response.body).toMatchObject({
      error: 'validation_failed',
      fields: [{ field: 'knownAt', reason: expect.stringContaining(reason) }],
    });
  });
});

describe('a read as known at a point whose snapshot is still being built', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await createTestApp({ env: { KNOWN_AT_WAIT_MS: '0' } });
  });
  afterAll(() => test?.close());

  it('answers 503 known_at_building, then the figures once built', async () => {
    const manager = await bearer('manager');
    const viewer = await bearer('viewer');
    const recorded = await request(test.app.getHttpServer())
      .post('/units')
      .set('Authorization', manager)
      .send({ unitId: 'KA1', name: 'Known At', level: 'province', effectiveDate: '2024-01-01' })
      .expect(201);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const knownAt = new Date().toISOString();
    const read = () =>
      request(test.app.getHttpServer())
        .get('/units/KA1/attainment')
        .query({ date: '2024-09-30', knownAt })
        .set('Authorization', viewer);
    const first = await read().expect(503);
    expect(first.body).toMatchObject({
      error: 'known_at_building',
      message: expect.stringContaining(`position ${recorded.body.position}`),
    });
    let answer = first;
    for (let attempt = 0; attempt < 100 && answer.status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answer = await read();
    }
    expect(answer.status).toBe(200);
    expect(answer.body.data.unit).toMatchObject({ unitId: 'KA1', name: 'Known At' });
  });
});

describe('a read as known at a time before the retention horizon', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await createTestApp({ env: { KNOWN_AT_HISTORY_DAYS: '1' } });
  });
  afterAll(() => test?.close());

  it('answers 410 naming the horizon once the history before it is pruned, and later reads as before', async () => {
    const manager = await bearer('manager');
    const viewer = await bearer('viewer');
    const unit = (unitId: string) =>
      request(test.app.getHttpServer())
        .post('/units')
        .set('Authorization', manager)
        .send({ unitId, name: unitId, level: 'province', effectiveDate: '2024-01-01' })
        .expect(201);
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    await unit('KR1');
    await pause();
    const early = new Date().toISOString();
    await pause();
    const { body: last } = await unit('KR2');
    await pause();
    const late = new Date().toISOString();
    const read = (unitId: string, knownAt: string) =>
      request(test.app.getHttpServer())
        .get(`/units/${unitId}/attainment`)
        .query({ date: '2024-09-30', knownAt })
        .set('Authorization', viewer);
    await read('KR1', early).expect(200);

    // A day later, as the hourly pruning would find it: everything before now is a day old.
    const pruned = await test.app.get(KnownAtSnapshots).prune(new Date(Date.now() + 86_400_000));
    expect(pruned?.horizonPosition).toBe(last.position);

    const refused = await read('KR1', early).expect(410);
    expect(refused.body).toMatchObject({
      error: 'known_at_beyond_retention',
      message: expect.stringContaining(`log position ${last.position}`),
    });
    const answer = await read('KR2', late).expect(200);
    expect(answer.body.data.unit).toMatchObject({ unitId: 'KR2' });
  });
});
