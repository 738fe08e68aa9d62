import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { demoScenario } from '../apps/cli/src/demo/scenario.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';

type Figures = {
  scheme: string;
  participants: number;
  plan: { target: number; originalTarget: number; revised: boolean } | null;
  attainment: { percent: number } | null;
  originalAttainment: { percent: number } | null;
  changeSinceDecember: { change: number };
  changeYearOnYear: { change: number };
  changeSincePreviousMonth: {
    since: string;
    participantsThen: number;
    change: number;
    percent: number | null;
  };
  coverage: { percent: number; base: string; year: number } | null;
  coverageAttainment: { percent: number } | null;
  remainingToPlan: number | null;
};

/** The seed reports' figures, read back through the API from the demo scenario. */
describe('attainment and coverage (HTTP), with the demo scenario loaded', () => {
  let test: TestApp;
  let viewer: string;
  let position = 0;

  beforeAll(async () => {
    test = await createTestApp();
    const manager = await bearer('manager', { subject: 'demo-loader' });
    viewer = await bearer('viewer');
    const rows = demoScenario();
    for (let start = 0; start < rows.length; start += 2_000) {
      const batch = rows.slice(start, start + 2_000);
      const response = await request(test.app.getHttpServer())
        .post('/imports')
        .set('Authorization', manager)
        .send(batch)
        .expect(201);
      position = response.body.position;
    }
  }, 240_000);
  afterAll(() => test?.close());

  const figures = async (
    unitId: string,
    scheme: string,
    date: string,
    extra: object = {},
  ): Promise<Figures> => {
    const response = await request(test.app.getHttpServer())
      .get(`/units/${unitId}/attainment`)
      .query({ scheme, date, waitForPosition: position, ...extra })
      .set('Authorization', viewer)
      .expect(200);
    expect(response.body.position).toBeGreaterThanOrEqual(position);
    return response.body.data.schemes[0];
  };

  it("gives Hai Phong's compulsory SI on 30 Sept 2024: 93.79% of plan, +8,329 vs December, +27,903 vs a year earlier", async () => {
    const compulsory = await figures('HP', 'compulsory-social-insurance', '2024-09-30');
    expect(compulsory).toMatchObject({
      participants: 495_856,
      attainment: { percent: 93.79 },
      changeSinceDecember: { change: 8_329 },
      changeYearOnYear: { change: 27_903 },
      remainingToPlan: 32_844,
    });
  });

  it("gives Hai Phong's voluntary SI as 72.84% as known before the October revision, and 89.93% after", async () => {
    const september = await figures('HP', 'voluntary-social-insurance', '2024-09-30', {
      knownOn: '2024-10-31',
    });
    expect(september).toMatchObject({
      participants: 36_520,
      plan: { target: 50_137, revised: false },
      attainment: { percent: 72.84 },
      changeSinceDecember: { change: 1_687 },
      changeYearOnYear: { change: 10_595 },
    });
    const october = await figures('HP', 'voluntary-social-insurance', '2024-10-31');
    expect(october).toMatchObject({
      participants: 36_421,
      plan: { target: 40_499, originalTarget: 50_137, revised: true },
      attainment: { percent: 89.93 },
      changeSinceDecember: { change: 1_588 },
      changeYearOnYear: { change: 10_472 },
    });
    const restated = await figures('HP', 'voluntary-social-insurance', '2024-09-30');
    expect(restated.participants).toBe(36_421 - 128);
  });

  it('gives Hai Phong\'s voluntary SI of October as "+128 (0.35%) compared to September"', async () => {
    const october = await figures('HP', 'voluntary-social-insurance', '2024-10-31');
    expect(october.changeSincePreviousMonth).toEqual({
      since: '2024-09-30',
      participantsThen: 36_293,
      change: 128,
      percent: 0.35,
    });
  });

  it("gives Hai Phong's health insurance: 98.96% of plan and 93.42% of the population", async () => {
    const health = await figures('HP', 'health-insurance', '2024-09-30');
    expect(health).toMatchObject({
      attainment: { percent: 98.96 },
      changeSinceDecember: { change: 15_806 },
      changeYearOnYear: { change: 47_793 },
      coverage: { percent: 93.42, base: 'population', year: 2024 },
    });
    expect(health.participants).toBeGreaterThan(1_960_000);
  });

  it("gives Can Tho's Long My ward (counted person by person) and O Mon ward on 30 Sept 2025", async () => {
    const longMyVoluntary = await figures('CT-LM', 'voluntary-social-insurance', '2025-09-30');
    expect(longMyVoluntary).toMatchObject({ participants: 1_215, attainment: { percent: 80.52 } });
    const longMyHealth = await figures('CT-LM', 'health-insurance', '2025-09-30');
    expect(longMyHealth).toMatchObject({
      coverage: { percent: 88.25 },
      coverageAttainment: { percent: 92.89 },
    });
    expect(await figures('CT-OM', 'voluntary-social-insurance', '2025-09-30')).toMatchObject({
      attainment: { percent: 50.89 },
    });
    expect(await figures('CT-OM', 'health-insurance', '2025-09-30')).toMatchObject({
      coverage: { percent: 80.09 },
    });
  });

  it('rolls the wards up into the city', async () => {
    const city = await figures('CT', 'voluntary-social-insurance', '2025-09-30');
    expect(city.participants).toBe(75_612);
    expect(city.remainingToPlan).toBe(118_700 - 75_612);
  });

  it("gives Dong Nai's coverage in December 2025: 49.4%, 44.35%, 91.9%", async () => {
    expect(
      (await figures('DN', 'compulsory-social-insurance', '2025-12-09')).coverage,
    ).toMatchObject({
      percent: 49.4,
      base: 'working-age-population',
    });
    expect((await figures('DN', 'unemployment-insurance', '2025-12-09')).coverage).toMatchObject({
      percent: 44.35,
      base: 'labour-force',
    });
    expect((await figures('DN', 'health-insurance', '2025-12-09')).coverage).toMatchObject({
      percent: 91.9,
    });
  });

  it('drills down into the units below, paged', async () => {
    const response = await request(test.app.getHttpServer())
      .get('/units/CT/children/attainment')
      .query({ date: '2025-09-30', scheme: 'voluntary-social-insurance', limit: 2 })
      .set('Authorization', viewer)
      .expect(200);
    expect(response.body.data.total).toBe(4);
    expect(response.body.data.children).toHaveLength(2);
    expect(
      response.body.data.children.map(({ unit }: { unit: { name: string } }) => unit.name),
    ).toEqual(['Cai Khe', 'Long My']);
    expect(response.body.data.children[1].schemes[0].participants).toBe(1_215);
  });

  it('gives a daily series with the plan in force each day', async () => {
    const response = await request(test.app.getHttpServer())
      .get('/units/HP/attainment/series')
      .query({
        scheme: 'voluntary-social-insurance',
        from: '2024-09-29',
        to: '2024-10-01',
        knownOn: '2024-10-31',
      })
      .set('Authorization', viewer)
      .expect(200);
    const days = response.body.data.days as {
      date: string;
      participants: number;
      plan: { target: number };
    }[];
    expect(days.map(({ date, plan }) => [date, plan.target])).toEqual([
      ['2024-09-29', 50_137],
      ['2024-09-30', 50_137],
      ['2024-10-01', 40_499],
    ]);
    expect(days[1].participants).toBe(36_520);
  });

  it('answers 404 for an unknown unit, 400 for a bad date, 401 without a token', async () => {
    const server = test.app.getHttpServer();
    const unknown = await request(server)
      .get('/units/NOPE/attainment')
      .query({ date: '2024-09-30' })
      .set('Authorization', viewer)
      .expect(404);
    expect(unknown.body.error).toBe('not_found');
    const bad = await request(server)
      .get('/units/HP/attainment')
      .query({ date: '2024-02-30' })
      .set('Authorization', viewer)
      .expect(400);
    expect(bad.body.fields).toEqual([
      { field: 'date', reason: 'must be a real calendar date written YYYY-MM-DD' },
    ]);
    await request(server).get('/units/HP/attainment').query({ date: '2024-09-30' }).expect(401);
  });

  it('answers 503 when asked to wait for a position the log never reaches', async () => {
    const response = await request(test.app.getHttpServer())
      .get('/units/HP/attainment')
      .query({ date: '2024-09-30', waitForPosition: position + 1_000_000 })
      .set('Authorization', viewer)
      .expect(503);
    expect(response.body.error).toBe('read_model_behind');
  }, 20_000);
});
