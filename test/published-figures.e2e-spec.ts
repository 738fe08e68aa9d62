import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';

const VOLUNTARY = 'voluntary-social-insurance';
const HEALTH = 'health-insurance';

type Figure = {
  publicationId: string;
  scheme: string;
  measure: string;
  published: number;
  atPublication: { value: number | null; basis: string };
  now: number | null;
  difference: number | null;
  noLongerTrue: boolean;
  changedSincePublication: boolean;
  corrections: { type: string; actor: string; data: Record<string, unknown> }[];
};

/**
 * Hai Phong's early-October report published voluntary SI on 30 Sept 2024 as 36,520; the
 * November restatement makes it 36,293.
 */
describe('published figures (HTTP): what a report said, what the service says now, and why', () => {
  let test: TestApp;
  let manager: string;
  let auditor: string;
  let position = 0;
  const id = randomUUID().slice(0, 8);
  const unitId = `PF${id}`;

  const send = async (path: string, body: unknown, status = 201, token = manager) => {
    const response = await request(test.app.getHttpServer())
      .post(path)
      .set('Authorization', token)
      .send(body as object)
      .expect(status);
    if (response.body.position) position = Math.max(position, response.body.position);
    return response;
  };
  /** Lists figures; a known-at snapshot still building answers 503, so ask again. */
  const list = async (query: object, token = auditor) => {
    for (let attempt = 0; attempt < 30; attempt++) {
      const response = await request(test.app.getHttpServer())
        .get('/published-figures')
        .query({ waitForPosition: position, ...query })
        .set('Authorization', token);
      if (response.status !== 503 || response.body.error !== 'known_at_building') return response;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error('the known-at snapshot was never built');
  };
  const figure = (publicationId: string, publishedAt: string, change: object = {}) => ({
    publicationId,
    publishedIn: 'BHXH Hai Phong, report of early October 2024',
    publishedAt,
    publishedBy: 'BHXH Hai Phong',
    unitId,
    scheme: VOLUNTARY,
    measure: 'participants',
    date: '2024-09-30',
    value: 36_520,
    ...change,
  });
  const correct = (token: string) =>
    send(
      '/participation-reports/corrections',
      {
        unitId,
        scheme: VOLUNTARY,
        date: '2024-09-30',
        gains: 20,
        stops: 119,
        reason: 'Restated in the November report',
        correctedOn: '2024-11-08',
      },
      201,
      token,
    );

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager', { subject: 'hai-phong-september' });
    auditor = await bearer('auditor');
    await send('/units', { unitId, name: 'Hai Phong', level: 'city', effectiveDate: '2024-01-01' });
    for (const [scheme, participants] of [
      [VOLUNTARY, 36_392],
      [HEALTH, 1_950_000],
    ] as const) {
      await send('/opening-stocks', { unitId, scheme, date: '2024-08-31', participants });
    }
    await send('/participation-reports', {
      unitId,
      scheme: VOLUNTARY,
      date: '2024-09-30',
      gains: 200,
      stops: 72,
    });
    await send('/plans', {
      unitId,
      scheme: VOLUNTARY,
      metric: 'participants',
      year: 2024,
      target: 50_137,
    });
  }, 60_000);
  afterAll(() => test?.close());

  it('compares a figure published while the service was recording with what it knew then and now', async () => {
    const publicationId = `LIVE-${id}`;
    // Published after the September facts were recorded, before the restatement.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const publishedAt = new Date().toISOString();
    await send('/published-figures', figure(publicationId, publishedAt));
    await send(
      '/published-figures',
      figure(publicationId, publishedAt, { measure: 'attainment', value: 7_284 }),
    );
    await send(
      '/published-figures',
      figure(publicationId, publishedAt, { scheme: HEALTH, value: 1_950_000 }),
    );
    await correct(await bearer('manager', { subject: 'hai-phong-november' }));

    const response = await list({ publicationId });
    expect(response.status).toBe(200);
    const [participants, attainment, health] = response.body.data.figures as Figure[];
    expect(response.body.data.total).toBe(3);
    expect(participants).toMatchObject({
      published: 36_520,
      atPublication: { value: 36_520, basis: 'known-at' },
      now: 36_293,
      difference: -227,
      noLongerTrue: true,
      changedSincePublication: true,
    });
    expect(participants.corrections.map(({ type, actor }) => [type, actor])).toEqual([
      ['ParticipationReportCorrected', 'hai-phong-november'],
    ]);
    expect(attainment).toMatchObject({
      published: 7_284,
      atPublication: { value: 7_284 },
      now: 7_239,
      noLongerTrue: true,
    });
    expect(health).toMatchObject({ published: 1_950_000, now: 1_950_000, noLongerTrue: false });
    expect(health.corrections).toEqual([]);

    const stale = await list({ publicationId, noLongerTrue: true });
    expect(stale.body.data.figures.map((row: Figure) => row.measure)).toEqual([
      'participants',
      'attainment',
    ]);
  });

  it('reads a figure recorded after the fact (imported) by the dates it was known on', async () => {
    const publicationId = `BACKFILL-${id}`;
    // A publication of 2024 recorded today: the log has nothing from then.
    await send('/imports', [
      { command: 'RecordPublishedFigure', ...figure(publicationId, '2024-10-04T10:00:00+07:00') },
    ]);
    const response = await list({ publicationId });
    expect(response.status).toBe(200);
    const [row] = response.body.data.figures as Figure[];
    expect(row).toMatchObject({
      publishedAt: '2024-10-04T03:00:00.000Z',
      published: 36_520,
      atPublication: { value: 36_520, basis: 'known-on' },
      now: 36_293,
      difference: -227,
      noLongerTrue: true,
    });
    // Only what happened after the report: the restatement, not the facts it reported.
    expect(row.corrections.map(({ type }) => type)).toEqual(['ParticipationReportCorrected']);
  });

  it('refuses a figure that contradicts its publication, the same figure twice, and an unknown unit', async () => {
    const publicationId = `REFUSED-${id}`;
    const publishedAt = '2024-10-04T10:00:00+07:00';
    await send('/published-figures', figure(publicationId, publishedAt));
    const moved = await send(
      '/published-figures',
      figure(publicationId, '2024-10-05T10:00:00+07:00', { measure: 'coverage', value: 100 }),
      422,
    );
    expect(moved.body.fields).toEqual([
      { field: 'publishedAt', reason: expect.stringMatching(/has publishedAt/) },
    ]);
    const twice = await send('/published-figures', figure(publicationId, publishedAt), 409);
    expect(twice.body.error).toBe('already_recorded');
    const unknown = await send(
      '/published-figures',
      figure(publicationId, publishedAt, { unitId: `NOPE${id}`, measure: 'coverage' }),
      422,
    );
    expect(unknown.body.fields).toEqual([
      { field: 'unitId', reason: expect.stringMatching(/Unknown unit/) },
    ]);
    const measure = await send(
      '/published-figures',
      figure(publicationId, publishedAt, { measure: 'rank' }),
      400,
    );
    expect(measure.body.fields).toEqual([
      { field: 'measure', reason: expect.stringMatching(/must be one of/) },
    ]);
  });

  it('refuses knownAt on the listing, which reads each figure as known at its publication', async () => {
    const response = await list({
      unitId,
      knownAt: '2024-11-01T00:00:00+07:00',
      waitForPosition: undefined,
    });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([
      { field: 'knownAt', reason: expect.stringMatching(/known at its publication/) },
    ]);
  });

  it('lets auditors and admins read published figures, and nobody else', async () => {
    expect((await list({ unitId }, await bearer('viewer'))).status).toBe(403);
    expect((await list({ unitId }, await bearer('admin'))).status).toBe(200);
  });
});
