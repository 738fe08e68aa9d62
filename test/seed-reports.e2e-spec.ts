import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { demoScenario } from '../apps/cli/src/demo/scenario.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';

type PublishedFigure = {
  publicationId: string;
  unitId: string;
  scheme: string;
  measure: string;
  published: number;
  now: number | null;
  difference: number | null;
  noLongerTrue: boolean;
  atPublication: { value: number | null; basis: string };
  corrections: { type: string; actor: string; data: Record<string, unknown> }[];
};

/** The five seed reports end to end: what they published, and Dong Nai's objectives. */
describe('the seed reports through the API, with the demo scenario loaded', () => {
  let test: TestApp;
  let auditor: string;
  let viewer: string;
  let position = 0;

  beforeAll(async () => {
    test = await createTestApp();
    const manager = await bearer('manager', { subject: 'demo-loader' });
    auditor = await bearer('auditor');
    viewer = await bearer('viewer');
    const rows = demoScenario();
    for (let start = 0; start < rows.length; start += 2_000) {
      const response = await request(test.app.getHttpServer())
        .post('/imports')
        .set('Authorization', manager)
        .send(rows.slice(start, start + 2_000))
        .expect(201);
      position = response.body.position;
    }
  }, 240_000);
  afterAll(() => test?.close());

  const read = async (path: string, query: object, token = viewer) =>
    (
      await request(test.app.getHttpServer())
        .get(path)
        .query({ waitForPosition: position, ...query })
        .set('Authorization', token)
        .expect(200)
    ).body.data;
  const published = async (query: object): Promise<PublishedFigure[]> =>
    (await read('/published-figures', { limit: 200, ...query }, auditor)).figures;

  it("shows Hai Phong's voluntary SI of 30 Sept 2024 as published 36,520, now 36,293, with the correction and its actor", async () => {
    const figures = await published({ publicationId: 'HP-2024-09-VTC' });
    const voluntary = figures.find(
      (figure) =>
        figure.scheme === 'voluntary-social-insurance' && figure.measure === 'participants',
    )!;
    expect(voluntary).toMatchObject({
      unitId: 'HP',
      published: 36_520,
      atPublication: { value: 36_520, basis: 'known-on' },
      now: 36_293,
      difference: -227,
      noLongerTrue: true,
    });
    expect(voluntary.corrections).toEqual([
      expect.objectContaining({
        type: 'ParticipationReportCorrected',
        actor: 'demo-loader',
        data: expect.objectContaining({ date: '2024-09-30', correctedOn: '2024-11-08' }),
      }),
    ]);
  });

  it('finds every published figure that later data changed, and only those', async () => {
    const stale = await published({ noLongerTrue: true });
    // The October restatement changed the September voluntary figures, in both versions of
    // the September article; every other figure of the five reports still holds.
    expect(
      stale.map(({ publicationId, scheme, measure }) => `${publicationId} ${scheme} ${measure}`),
    ).toEqual(
      ['HP-2024-09-VTC', 'HP-2024-09-VTC-DE'].flatMap((publicationId) =>
        ['participants', 'attainment', 'change-since-december', 'change-year-on-year'].map(
          (measure) => `${publicationId} voluntary-social-insurance ${measure}`,
        ),
      ),
    );
    const all = await published({});
    expect(new Set(all.map(({ publicationId }) => publicationId)).size).toBe(5);
    expect(
      all.filter(({ noLongerTrue }) => !noLongerTrue).every(({ difference }) => difference === 0),
    ).toBe(true);
  });

  it("reads Dong Nai's objectives back as the report states them", async () => {
    const { campaigns } = await read('/campaigns', { scopeUnitId: 'DN' });
    const [campaign] = campaigns;
    expect(campaign.campaignId).toBe('DN-PEAK-2025-12');
    expect(campaign.objectives).toEqual(
      expect.arrayContaining([
        {
          objectiveId: 'participants-all-schemes',
          scheme: 'all-schemes',
          metric: 'participants',
          target: 217_500,
        },
        {
          objectiveId: 'contributions-all-schemes',
          scheme: 'all-schemes',
          metric: 'contributions',
          target: 3_200_000_000_000,
        },
        {
          objectiveId: 'late-payment-ratio',
          scheme: null,
          metric: 'late-payment-ratio',
          target: 140,
          direction: 'at-most',
          measuredOver: 'window-end',
        },
      ]),
    );
    const progress = await read('/campaigns/DN-PEAK-2025-12/progress', { asOf: '2025-12-29' });
    const objective = (id: string) =>
      progress.objectives.find(({ objectiveId }: { objectiveId: string }) => objectiveId === id);
    // The daily reports of the campaign add up to the split's achievements.
    expect(objective('participants-all-schemes')).toMatchObject({
      target: 217_500,
      achieved: 38_000 + 15_000 + 120_000,
    });
    expect(objective('late-payment-ratio')).toMatchObject({
      targetPercent: 1.4,
      direction: 'at-most',
      // November's 2.00% is where the line starts; no December arrears are in the report.
      baseline: { period: '2025-11', ratio: { percent: 2 } },
      achieved: null,
      met: null,
    });
  });

  it("reads Dong Nai's social insurance as 49.4% of the working-age population against 52%", async () => {
    const { schemes } = await read('/units/DN/attainment', {
      scheme: 'social-insurance',
      date: '2025-12-09',
    });
    expect(schemes[0]).toMatchObject({
      scheme: 'social-insurance',
      members: ['compulsory-social-insurance', 'voluntary-social-insurance'],
      coverage: { percent: 49.4, base: 'working-age-population', year: 2025 },
      coverageAttainment: { targetPercent: 52 },
    });
  });
});
