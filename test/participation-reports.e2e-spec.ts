import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '#event-store';
import { type TestApp, bearer, createTestApp } from './support/app.js';

describe('participation reports and opening stocks by unit and scheme (HTTP)', () => {
  let test: TestApp;
  let manager: string;
  const scheme = 'compulsory-social-insurance';
  const code = () => `HP${randomUUID().slice(0, 8)}`;

  const post = (path: string, body: object, auth = manager) =>
    request(test.app.getHttpServer()).post(path).set('Authorization', auth).send(body);
  const head = () => test.app.get(EventStore).headPosition();
  const eventsOf = async (unitId: string) =>
    (await test.app.get(EventStore).readStream(`participation-${unitId}.${scheme}`)).map(
      ({ type, data }) => ({ type, data }),
    );

  const registerUnit = async () => {
    const unitId = code();
    await post('/units', {
      unitId,
      name: 'Hai Phong',
      level: 'city',
      effectiveDate: '2024-01-01',
    }).expect(201);
    return unitId;
  };
  const openingStock = (unitId: string, change: object = {}) =>
    post('/opening-stocks', {
      unitId,
      scheme,
      date: '2024-09-30',
      participants: 495_856,
      ...change,
    });
  const report = (unitId: string, change: object = {}) =>
    post('/participation-reports', {
      unitId,
      scheme,
      date: '2024-10-31',
      gains: 3_120,
      stops: 1_045,
      ...change,
    });
  const correct = (unitId: string, change: object = {}) =>
    post('/participation-reports/corrections', {
      unitId,
      scheme,
      date: '2024-10-31',
      gains: 3_200,
      stops: 1_045,
      reason: 'Restated in the November report',
      correctedOn: '2024-11-08',
      ...change,
    });

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager');
  });
  afterAll(() => test?.close());

  it('records an opening stock and a report, then a correction that keeps the previous figures', async () => {
    const unitId = await registerUnit();
    await openingStock(unitId).expect(201);
    await report(unitId).expect(201);
    await correct(unitId).expect(201);
    expect(await eventsOf(unitId)).toEqual([
      {
        type: 'OpeningStockRecorded',
        data: { unitId, scheme, date: '2024-09-30', participants: 495_856 },
      },
      {
        type: 'ParticipationReported',
        data: { unitId, scheme, date: '2024-10-31', gains: 3_120, stops: 1_045 },
      },
      {
        type: 'ParticipationReportCorrected',
        data: {
          unitId,
          scheme,
          date: '2024-10-31',
          gains: 3_200,
          stops: 1_045,
          previousGains: 3_120,
          previousStops: 1_045,
          reason: 'Restated in the November report',
          correctedOn: '2024-11-08',
        },
      },
    ]);
    const [, reported, corrected] = await test.app
      .get(EventStore)
      .readStream(`participation-${unitId}.${scheme}`);
    expect(reported.occurredAt).toEqual(new Date('2024-10-31T00:00:00+07:00'));
    // A correction happens when it is made, so business time tells what was known when.
    expect(corrected.occurredAt).toEqual(new Date('2024-11-08T00:00:00+07:00'));
  });

  it('refuses a second report for the same date with 409, pointing to corrections', async () => {
    const unitId = await registerUnit();
    await report(unitId).expect(201);
    const before = await head();
    const response = await report(unitId, { gains: 3_200 }).expect(409);
    expect(response.body).toMatchObject({
      error: 'participation_already_reported',
      message: expect.stringMatching(/send a correction with a reason/),
      fields: [{ field: 'date' }],
    });
    expect(await head()).toBe(before);
  });

  it('refuses a correction dated before the date it corrects', async () => {
    const unitId = await registerUnit();
    await openingStock(unitId).expect(201);
    await report(unitId).expect(201);
    const response = await correct(unitId, { correctedOn: '2024-10-30' }).expect(400);
    expect(response.body.fields).toEqual([
      { field: 'correctedOn', reason: 'must not be earlier than date' },
    ]);
  });

  it('refuses a correction without a reason, of a date never reported, or that changes nothing', async () => {
    const unitId = await registerUnit();
    await report(unitId).expect(201);
    const before = await head();
    const noReason = await correct(unitId, { reason: undefined }).expect(400);
    expect(noReason.body.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'reason' })]),
    );
    const unreported = await correct(unitId, {
      date: '2024-11-30',
      correctedOn: '2024-12-05',
    }).expect(422);
    expect(unreported.body).toMatchObject({
      error: 'unknown_entity',
      fields: [{ field: 'date' }],
    });
    const unchanged = await correct(unitId, { gains: 3_120 }).expect(409);
    expect(unchanged.body.message).toMatch(/already has 3120 gains and 1045 stops/);
    expect(await head()).toBe(before);
  });

  it('refuses a report that would make the stock negative at its date, though later gains would cover it', async () => {
    const unitId = await registerUnit();
    await openingStock(unitId, { participants: 100 }).expect(201);
    await report(unitId, { date: '2024-11-30', gains: 500, stops: 0 }).expect(201);
    const before = await head();
    const response = await report(unitId, { date: '2024-10-31', gains: 0, stops: 101 }).expect(422);
    expect(response.body).toMatchObject({
      error: 'negative_stock',
      fields: [{ field: 'stops', reason: expect.stringMatching(/fall to -1 on 2024-10-31/) }],
    });
    expect(await head()).toBe(before);
    await report(unitId, { date: '2024-10-31', gains: 0, stops: 100 }).expect(201);
  });

  it('refuses a correction that would make the stock negative at a later date', async () => {
    const unitId = await registerUnit();
    await report(unitId, { date: '2024-10-31', gains: 10, stops: 0 }).expect(201);
    await report(unitId, { date: '2024-11-30', gains: 0, stops: 10 }).expect(201);
    const before = await head();
    const response = await correct(unitId, { date: '2024-10-31', gains: 9, stops: 0 }).expect(422);
    expect(response.body.message).toMatch(/fall to -1 on 2024-11-30/);
    expect(await head()).toBe(before);
  });

  it('records one opening stock per unit and scheme, before every reported date', async () => {
    const unitId = await registerUnit();
    await report(unitId).expect(201);
    const before = await head();
    const late = await openingStock(unitId, { date: '2024-10-31' }).expect(422);
    expect(late.body.fields).toEqual([
      { field: 'date', reason: expect.stringMatching(/first report is for 2024-10-31/) },
    ]);
    expect(await head()).toBe(before);
    await openingStock(unitId).expect(201);
    const second = await openingStock(unitId, { date: '2024-08-31' }).expect(409);
    expect(second.body.error).toBe('already_recorded');
    const beforeOpening = await report(unitId, { date: '2024-09-30' }).expect(422);
    expect(beforeOpening.body.fields).toEqual([
      { field: 'date', reason: expect.stringMatching(/opening stock is at 2024-09-30/) },
    ]);
  });

  it('keeps separate streams per scheme', async () => {
    const unitId = await registerUnit();
    await report(unitId).expect(201);
    const response = await report(unitId, { scheme: 'health-insurance' }).expect(201);
    expect(response.body.streams).toEqual([
      { streamId: `participation-${unitId}.health-insurance`, revision: 0 },
    ]);
  });

  const reportBody = (unitId: string) => ({
    unitId,
    scheme,
    date: '2024-10-31',
    gains: 1,
    stops: 0,
  });
  const stockBody = (unitId: string) => ({ unitId, scheme, date: '2024-09-30', participants: 1 });

  it.each([
    ['negative stops', '/participation-reports', reportBody, { stops: -5 }, 'stops', /0 or more/],
    ['gains as text', '/participation-reports', reportBody, { gains: '12' }, 'gains', /whole/],
    [
      'an impossible date',
      '/participation-reports',
      reportBody,
      { date: '2024-09-31' },
      'date',
      /real/,
    ],
    [
      'an unknown scheme',
      '/participation-reports',
      reportBody,
      { scheme: 'pension' },
      'scheme',
      /one of/,
    ],
    [
      'an unknown field',
      '/participation-reports',
      reportBody,
      { plan: 5 },
      'plan',
      /should not exist/,
    ],
    [
      'negative participants',
      '/opening-stocks',
      stockBody,
      { participants: -1 },
      'participants',
      /0 or more/,
    ],
  ])('refuses %s with 400, naming the field', async (_, path, body, change, field, reason) => {
    const unitId = await registerUnit();
    const before = await head();
    const response = await post(path, { ...body(unitId), ...change }).expect(400);
    expect(response.body.fields).toEqual(
      expect.arrayContaining([{ field, reason: expect.stringMatching(reason) }]),
    );
    expect(await head()).toBe(before);
  });

  it('refuses a report or an opening stock for an unknown unit', async () => {
    const before = await head();
    const reported = await report('NO-SUCH-UNIT').expect(422);
    expect(reported.body.fields).toEqual([
      { field: 'unitId', reason: "Unknown unit 'NO-SUCH-UNIT'" },
    ]);
    await openingStock('NO-SUCH-UNIT').expect(422);
    expect(await head()).toBe(before);
  });

  it('forbids agents to report, correct or record opening stocks', async () => {
    const unitId = await registerUnit();
    await report(unitId).expect(201);
    const agent = await bearer('agent', { organizationId: 'VNPOST-HP' });
    const before = await head();
    await report(unitId, { date: '2024-11-30' }).set('Authorization', agent).expect(403);
    await correct(unitId).set('Authorization', agent).expect(403);
    await openingStock(unitId).set('Authorization', agent).expect(403);
    expect(await head()).toBe(before);
  });
  it('records every one of 100 concurrent reports for one unit on different dates', async () => {
    const unitId = await registerUnit();
    await openingStock(unitId).expect(201);
    const dates = Array.from({ length: 100 }, (_, day) =>
      new Date(Date.UTC(2024, 9, 1 + day)).toISOString().slice(0, 10),
    );
    const answers = await Promise.all(
      dates.map((date) => report(unitId, { date, gains: 10, stops: 1 })),
    );
    expect(answers.filter(({ status }) => status !== 201).map(({ body }) => body)).toEqual([]);
    const reported = (await eventsOf(unitId)).slice(1);
    expect(reported.map(({ data }) => (data as { date: string }).date).sort()).toEqual(dates);
  });

  it('still refuses all but one of concurrent reports for the same date', async () => {
    const unitId = await registerUnit();
    await openingStock(unitId).expect(201);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, n) => report(unitId, { gains: 100 + n })),
    );
    const statuses = answers.map(({ status }) => status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    expect(
      new Set(answers.filter(({ status }) => status === 409).map(({ body }) => body.error)),
    ).toEqual(new Set(['participation_already_reported']));
    expect(await eventsOf(unitId)).toHaveLength(2);
  });
});
