import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';

const BILLION = 1_000_000_000;

/** Objectives over several schemes and on the late-payment ratio, as Dong Nai set them. */
describe('campaign objectives beyond one scheme (HTTP): groups, all schemes, ratios', () => {
  let test: TestApp;
  let manager: string;
  let viewer: string;
  let position = 0;
  const id = randomUUID().slice(0, 8);
  const province = `CO${id}`;

  const send = async (path: string, body: object, status = 201) => {
    const response = await request(test.app.getHttpServer())
      .post(path)
      .set('Authorization', manager)
      .send(body)
      .expect(status);
    if (response.body.position) position = Math.max(position, response.body.position);
    return response;
  };
  const progressOf = async (campaignId: string, asOf: string) =>
    (
      await request(test.app.getHttpServer())
        .get(`/campaigns/${campaignId}/progress`)
        .query({ asOf, waitForPosition: position })
        .set('Authorization', viewer)
        .expect(200)
    ).body.data;
  const arrears = (employer: string, period: string, due: number, overdue: number) => ({
    command: 'RecordArrears',
    employerId: `${province}-${employer}`,
    employerName: employer,
    unitId: province,
    period,
    amountDue: due * BILLION,
    amountOverdue: overdue * BILLION,
    recordedOn: `${period}-28`,
  });
  const launch = (campaignId: string, objectives: object[], status = 201) =>
    send(
      '/campaigns',
      {
        campaignId,
        name: '20-day peak campaign',
        startDate: '2025-12-10',
        endDate: '2025-12-29',
        scopeUnitIds: [province],
        objectives,
      },
      status,
    );
  const latePayments = {
    objectiveId: 'late-payments',
    metric: 'late-payment-ratio',
    target: 140,
    direction: 'at-most',
    measuredOver: 'window-end',
  };

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager');
    viewer = await bearer('viewer');
    const enrolled = (participantId: string, scheme: string) => ({
      command: 'EnrollParticipant',
      participantId,
      scheme,
      unitId: province,
      enrolledOn: '2025-11-01',
      paidUntil: '2025-12-31',
    });
    const collected = (participantId: string, scheme: string, amount: number, on: string) => ({
      command: 'CollectContribution',
      participantId,
      scheme,
      amount,
      periodFrom: '2026-01',
      periodTo: '2026-12',
      collectedOn: on,
    });
    await send('/imports', [
      {
        command: 'RegisterUnit',
        unitId: province,
        name: 'Objective province',
        level: 'province',
        effectiveDate: '2025-01-01',
      },
      // November: 30 of 1,500 billion overdue = 2.00%; December: 20 of 1,600 = 1.25%.
      arrears('E1', '2025-11', 1_000, 20),
      arrears('E2', '2025-11', 500, 10),
      arrears('E1', '2025-12', 1_000, 12),
      arrears('E2', '2025-12', 600, 8),
      enrolled(`${id}-1`, 'health-insurance'),
      enrolled(`${id}-2`, 'voluntary-social-insurance'),
      collected(`${id}-1`, 'health-insurance', 1_000_000, '2025-12-12'),
      collected(`${id}-2`, 'voluntary-social-insurance', 2_000_000, '2025-12-12'),
      collected(`${id}-2`, 'voluntary-social-insurance', 500_000, '2025-12-20'),
      // Before the window: not counted.
      collected(`${id}-1`, 'health-insurance', 700_000, '2025-12-01'),
    ]);
  }, 60_000);
  afterAll(() => test?.close());

  it('counts a contributions objective over all schemes as the sum of every scheme', async () => {
    const campaignId = `CO-VND-${id}`;
    await launch(campaignId, [
      { objectiveId: 'vnd', scheme: 'all-schemes', metric: 'contributions', target: 3_200_000 },
      {
        objectiveId: 'vnd-si',
        scheme: 'social-insurance',
        metric: 'contributions',
        target: 2_000_000,
      },
    ]);
    const [all, socialInsurance] = (await progressOf(campaignId, '2025-12-29')).objectives;
    expect(all).toMatchObject({
      scheme: 'all-schemes',
      achieved: 3_500_000,
      breakdown: { collections: 3 },
      remaining: 0,
    });
    expect(all.series.find((point: { date: string }) => point.date === '2025-12-12')).toMatchObject(
      { value: 3_000_000, achieved: 3_000_000 },
    );
    expect(socialInsurance).toMatchObject({ achieved: 2_500_000, breakdown: { collections: 2 } });
  });

  it('gives a late-payment ceiling its ratio, whether it is met, and the line from the month before', async () => {
    const campaignId = `CO-RATIO-${id}`;
    await launch(campaignId, [
      { objectiveId: 'people', scheme: 'all-schemes', metric: 'participants', target: 217_500 },
      latePayments,
    ]);
    const progress = await progressOf(campaignId, '2025-12-19');
    expect(
      progress.objectives.map(({ objectiveId }: { objectiveId: string }) => objectiveId),
    ).toEqual(['people', 'late-payments']);
    const [, ratio] = progress.objectives;
    expect(ratio).toMatchObject({
      scheme: null,
      metric: 'late-payment-ratio',
      target: 140,
      targetPercent: 1.4,
      direction: 'at-most',
      measuredOver: 'window-end',
      periods: ['2025-12'],
      achieved: { numerator: 20 * BILLION, denominator: 1_600 * BILLION, percent: 1.25 },
      met: true,
      marginPoints: 0.15,
      baseline: { period: '2025-11', ratio: { percent: 2 } },
      shouldBe: 170,
    });
    expect(ratio.series).toHaveLength(10);
    expect(ratio.series[0]).toMatchObject({ day: 1, shouldBe: 197, ratio: { percent: 1.25 } });
  });

  it('reads a ratio objective back as launched', async () => {
    const campaignId = `CO-READ-${id}`;
    await launch(campaignId, [latePayments]);
    const response = await request(test.app.getHttpServer())
      .get('/campaigns')
      .query({ scopeUnitId: province, waitForPosition: position, limit: 200 })
      .set('Authorization', viewer)
      .expect(200);
    const campaign = response.body.data.campaigns.find(
      (row: { campaignId: string }) => row.campaignId === campaignId,
    );
    expect(campaign.objectives).toEqual([{ ...latePayments, scheme: null }]);
  });

  it.each([
    ['without a direction', { direction: undefined }, 422, 'objectives[0].direction', /ceiling/],
    ['with an unknown direction', { direction: 'below' }, 400, 'objectives[0].direction', /one of/],
    ['without a measure', { measuredOver: undefined }, 422, 'objectives[0].measuredOver', /window/],
    [
      'over one scheme',
      { scheme: 'health-insurance' },
      422,
      'objectives[0].scheme',
      /every scheme/,
    ],
    ['above 100%', { target: 10_001 }, 422, 'objectives[0].target', /basis points/],
  ])(
    'refuses a late-payment-ratio objective %s, naming the field',
    async (_, change, status, field, reason) => {
      const answer = await request(test.app.getHttpServer())
        .post('/campaigns')
        .set('Authorization', manager)
        .send({
          campaignId: `CO-BAD-${randomUUID().slice(0, 8)}`,
          name: 'Bad',
          startDate: '2025-12-10',
          endDate: '2025-12-29',
          scopeUnitIds: [province],
          objectives: [{ ...latePayments, ...change }],
        });
      expect(answer.status).toBe(status);
      expect(answer.body.fields).toEqual([{ field, reason: expect.stringMatching(reason) }]);
    },
  );

  it('refuses a direction on a count objective', async () => {
    const response = await launch(
      `CO-DIR-${id}`,
      [
        {
          objectiveId: 'p',
          scheme: 'all-schemes',
          metric: 'participants',
          target: 1,
          direction: 'at-most',
        },
      ],
      422,
    );
    expect(response.body.fields).toEqual([
      { field: 'objectives[0].direction', reason: expect.stringMatching(/Only a ratio objective/) },
    ]);
  });
});
