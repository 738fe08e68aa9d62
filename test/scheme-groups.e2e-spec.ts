import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { type TestApp, bearer, createTestApp } from './support/app.js';
import { serverSentEvents } from './support/sse.js';

type Figures = {
  scheme: string;
  members: string[];
  participants: number;
  plan: { planId: string; target: number } | null;
  attainment: { numerator: number; denominator: number } | null;
  changeSinceDecember: { participantsThen: number; change: number };
  changeYearOnYear: { participantsThen: number; change: number };
  changeSincePreviousMonth?: { participantsThen: number; change: number };
  coverage: { numerator: number; denominator: number; base: string } | null;
  coverageAttainment: { numerator: number; denominator: number; targetPercent: number } | null;
  remainingToPlan: number | null;
};

const COMPULSORY = 'compulsory-social-insurance';
const VOLUNTARY = 'voluntary-social-insurance';
const HEALTH = 'health-insurance';
const UNEMPLOYMENT = 'unemployment-insurance';

/** What a group's figure must be: the sum of its members' same figure. */
const sumOf = (figures: Figures[], pick: (figures: Figures) => number) =>
  figures.reduce((total, member) => total + pick(member), 0);

describe('scheme groups (HTTP): a group reads as the sum of its members, with a plan of its own', () => {
  let test: TestApp;
  let manager: string;
  let viewer: string;
  let position = 0;
  const id = randomUUID().slice(0, 8);
  const province = `SG${id}`;
  const wards = [`${province}-A`, `${province}-B`];

  const post = async (path: string, body: object, status = 201) => {
    const response = await request(test.app.getHttpServer())
      .post(path)
      .set('Authorization', manager)
      .send(body)
      .expect(status);
    if (response.body.position) position = Math.max(position, response.body.position);
    return response;
  };
  const get = (path: string, query: object = {}) =>
    request(test.app.getHttpServer())
      .get(path)
      .query({ waitForPosition: position, ...query })
      .set('Authorization', viewer);
  const figures = async (unitId: string, scheme: string, query: object = {}) =>
    (await get(`/units/${unitId}/attainment`, { scheme, date: '2024-09-30', ...query }).expect(200))
      .body.data.schemes[0] as Figures;

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager');
    viewer = await bearer('viewer');
    await post('/units', {
      unitId: province,
      name: 'Group city',
      level: 'city',
      effectiveDate: '2023-01-01',
    });
    for (const ward of wards) {
      await post('/units', {
        unitId: ward,
        name: ward,
        level: 'ward',
        parentId: province,
        effectiveDate: '2023-01-01',
      });
    }
    const opening: Record<string, number[]> = {
      [COMPULSORY]: [1_000, 500],
      [VOLUNTARY]: [200, 100],
      [HEALTH]: [5_000, 3_000],
      [UNEMPLOYMENT]: [800, 400],
    };
    for (const [scheme, [first, second]] of Object.entries(opening)) {
      await post('/opening-stocks', {
        unitId: wards[0],
        scheme,
        date: '2023-08-31',
        participants: first,
      });
      await post('/opening-stocks', {
        unitId: wards[1],
        scheme,
        date: '2023-08-31',
        participants: second,
      });
    }
    const reports: [string, string, string, number, number][] = [
      [wards[0], COMPULSORY, '2023-12-31', 40, 15],
      [wards[0], COMPULSORY, '2024-08-31', 30, 10],
      [wards[0], VOLUNTARY, '2024-08-31', 20, 5],
      [wards[0], VOLUNTARY, '2024-09-25', 9, 1],
      [wards[1], VOLUNTARY, '2024-09-30', 15, 3],
      [wards[1], COMPULSORY, '2024-09-12', 12, 2],
      [wards[1], HEALTH, '2024-09-12', 70, 20],
      [wards[1], UNEMPLOYMENT, '2024-09-12', 6, 1],
    ];
    for (const [unitId, scheme, date, gains, stops] of reports) {
      await post('/participation-reports', { unitId, scheme, date, gains, stops });
    }
    await post('/participation-reports/corrections', {
      unitId: wards[0],
      scheme: VOLUNTARY,
      date: '2024-08-31',
      gains: 25,
      stops: 5,
      reason: 'Restated in the October report',
      correctedOn: '2024-10-15',
    });
    await post(`/units/${province}/denominators`, {
      year: 2024,
      population: 20_000,
      workingAgePopulation: 4_000,
      labourForce: 3_000,
      source: 'GSO',
    });
    const plan = (scheme: string, metric: string, target: number) =>
      post('/plans', { unitId: province, scheme, metric, year: 2024, target });
    await plan('social-insurance', 'participants', 2_000);
    await plan('social-insurance', 'coverage-rate', 5_200);
    await plan(COMPULSORY, 'participants', 1_600);
    await plan('all-schemes', 'participants', 12_000);
  }, 120_000);
  afterAll(() => test?.close());

  it('lists the groups with their members and the basis of their denominator', async () => {
    const response = await get('/schemes/groups').expect(200);
    expect(response.body).toEqual([
      expect.objectContaining({
        group: 'social-insurance',
        members: [COMPULSORY, VOLUNTARY],
        coverageBase: 'working-age-population',
        basis: expect.any(String),
      }),
      expect.objectContaining({
        group: 'all-schemes',
        members: [COMPULSORY, VOLUNTARY, HEALTH, UNEMPLOYMENT],
        coverageBase: null,
      }),
    ]);
  });

  it.each([
    ['social-insurance', [COMPULSORY, VOLUNTARY]],
    ['all-schemes', [COMPULSORY, VOLUNTARY, HEALTH, UNEMPLOYMENT]],
  ])('gives %s exactly the sums of its members', async (group, members) => {
    for (const unitId of [province, ...wards]) {
      for (const knownOn of [undefined, '2024-10-01']) {
        const query = knownOn ? { knownOn } : {};
        const total = await figures(unitId, group, query);
        const parts = await Promise.all(members.map((scheme) => figures(unitId, scheme, query)));
        expect(total.members).toEqual(members);
        expect(total.participants).toBe(sumOf(parts, (part) => part.participants));
        for (const change of ['changeSinceDecember', 'changeYearOnYear'] as const) {
          expect(total[change].participantsThen).toBe(
            sumOf(parts, (part) => part[change].participantsThen),
          );
          expect(total[change].change).toBe(sumOf(parts, (part) => part[change].change));
        }
      }
    }
    for (const unitId of [province, ...wards]) {
      const total = await figures(unitId, group, { date: '2024-10-31' });
      const parts = await Promise.all(
        members.map((scheme) => figures(unitId, scheme, { date: '2024-10-31' })),
      );
      expect(total.changeSincePreviousMonth!.change).toBe(
        sumOf(parts, (part) => part.changeSincePreviousMonth!.change),
      );
    }
    const now = await figures(province, group);
    const known = await figures(province, group, { knownOn: '2024-10-01' });
    // The correction of 15 October adds 5 voluntary participants to both groups.
    expect(now.participants - known.participants).toBe(5);
  });

  it("measures a group against its own plan, not its members' plans", async () => {
    const group = await figures(province, 'social-insurance');
    expect(group.plan).toMatchObject({
      planId: `${province}.social-insurance.participants.2024`,
      target: 2_000,
    });
    expect(group.attainment).toMatchObject({ numerator: group.participants, denominator: 2_000 });
    expect(group.remainingToPlan).toBe(2_000 - group.participants);
    expect((await figures(province, COMPULSORY)).plan).toMatchObject({ target: 1_600 });
    expect((await figures(province, VOLUNTARY)).plan).toBeNull();
  });

  it('gives social insurance a coverage of the working-age population, against its coverage-rate plan', async () => {
    const group = await figures(province, 'social-insurance');
    const parts = await Promise.all([COMPULSORY, VOLUNTARY].map((s) => figures(province, s)));
    expect(group.coverage).toMatchObject({
      numerator: group.participants,
      denominator: 4_000,
      base: 'working-age-population',
    });
    expect(group.coverage!.numerator).toBe(sumOf(parts, (part) => part.coverage!.numerator));
    expect(group.coverageAttainment).toMatchObject({
      numerator: group.participants * 10_000,
      denominator: 4_000 * 5_200,
      targetPercent: 52,
    });
  });

  it('gives all schemes no coverage, and refuses a coverage-rate plan for it', async () => {
    expect((await figures(province, 'all-schemes')).coverage).toBeNull();
    const response = await post(
      '/plans',
      {
        unitId: province,
        scheme: 'all-schemes',
        metric: 'coverage-rate',
        year: 2024,
        target: 5_000,
      },
      422,
    );
    expect(response.body.fields).toEqual([
      { field: 'scheme', reason: expect.stringMatching(/no coverage base/) },
    ]);
  });

  it("refuses to allocate a group's plan to an organization", async () => {
    const organizationId = `POST-${id}`;
    await post('/organizations', {
      organizationId,
      name: 'Post office',
      kind: 'post-office',
      unitId: province,
      registeredOn: '2024-01-01',
    });
    const response = await post(
      `/plans/${province}.social-insurance.participants.2024/allocations`,
      {
        allocations: [{ recipientKind: 'organization', recipientId: organizationId, target: 10 }],
        allocatedOn: '2024-03-01',
      },
      422,
    );
    expect(response.body.fields).toEqual([
      { field: 'allocations[0].recipientKind', reason: expect.stringMatching(/units only/) },
    ]);
  });

  it('gives a series of the group that is the sum of its members, day by day', async () => {
    const series = async (scheme: string) =>
      (
        await get(`/units/${province}/attainment/series`, {
          scheme,
          from: '2024-08-25',
          to: '2024-10-05',
        }).expect(200)
      ).body.data;
    const group = await series('social-insurance');
    const [compulsory, voluntary] = await Promise.all([series(COMPULSORY), series(VOLUNTARY)]);
    expect(group.scheme).toBe('social-insurance');
    expect(group.days).toHaveLength(42);
    type Day = {
      date: string;
      participants: number;
      plan: object;
      changeSincePreviousMonth: { since: string; participantsThen: number; change: number };
    };
    const byDate = new Map<string, Day>(group.days.map((day: Day) => [day.date, day]));
    group.days.forEach((day: Day, index: number) => {
      expect(day.participants).toBe(
        compulsory.days[index].participants + voluntary.days[index].participants,
      );
      expect(day.plan).toMatchObject({ target: 2_000 });
      const { since, participantsThen, change } = day.changeSincePreviousMonth;
      if (byDate.has(since)) expect(participantsThen).toBe(byDate.get(since)!.participants);
      expect(change).toBe(day.participants - participantsThen);
    });
    expect(byDate.get('2024-10-05')!.changeSincePreviousMonth).toMatchObject({
      since: '2024-09-30',
      change: 0,
    });
  });

  it('drills down into the children with the group figures of each', async () => {
    const response = await get(`/units/${province}/children/attainment`, {
      scheme: 'social-insurance',
      date: '2024-09-30',
    }).expect(200);
    expect(response.body.data.children).toHaveLength(2);
    for (const child of response.body.data.children) {
      const [group] = child.schemes;
      const parts = await Promise.all(
        [COMPULSORY, VOLUNTARY].map((scheme) => figures(child.unit.unitId, scheme)),
      );
      expect(group.scheme).toBe('social-insurance');
      expect(group.participants).toBe(sumOf(parts, (part) => part.participants));
    }
  });

  it('counts a campaign objective over a group as the sum of its members', async () => {
    const campaignId = `SG-CAMPAIGN-${id}`;
    await post('/campaigns', {
      campaignId,
      name: 'Social insurance push',
      startDate: '2024-09-01',
      endDate: '2024-09-30',
      scopeUnitIds: [province],
      objectives: [
        { objectiveId: 'si', scheme: 'social-insurance', metric: 'participants', target: 100 },
        { objectiveId: 'all', scheme: 'all-schemes', metric: 'participants', target: 200 },
      ],
    });
    const progress = (
      await get(`/campaigns/${campaignId}/progress`, { asOf: '2024-09-30' }).expect(200)
    ).body.data;
    const [socialInsurance, all] = progress.objectives;
    // September: voluntary 9 − 1 and 15 − 3, compulsory 12 − 2; health 70 − 20, unemployment 6 − 1.
    expect(socialInsurance).toMatchObject({
      scheme: 'social-insurance',
      achieved: 8 + 12 + 10,
      breakdown: { gains: 9 + 15 + 12, stops: 1 + 3 + 2, resumptions: 0 },
    });
    expect(all).toMatchObject({ scheme: 'all-schemes', achieved: 30 + 50 + 5 });
    expect(socialInsurance.series.at(-1)).toMatchObject({ achieved: 30, shouldBe: 100 });
  });

  it("traces a group's figure to its members' events and its own plan", async () => {
    const auditor = await bearer('auditor');
    const response = await request(test.app.getHttpServer())
      .get('/audit/lineage/attainment')
      .query({ unitId: province, scheme: 'social-insurance', date: '2024-09-30', limit: 500 })
      .set('Authorization', auditor)
      .expect(200);
    const entries: { type: string; scheme: string | null; streamId: string; data: never }[] =
      response.body.data.entries;
    const counted = entries.filter(({ type }) => type !== 'AdministrativeUnitRegistered');
    const plans = counted.filter(({ type }) => type === 'PlanAssigned');
    expect(plans.map(({ streamId }) => streamId)).toEqual([
      `plan-${province}.social-insurance.participants.2024`,
    ]);
    const facts = counted.filter(({ type }) => type !== 'PlanAssigned');
    expect(new Set(facts.map(({ scheme }) => scheme))).toEqual(new Set([COMPULSORY, VOLUNTARY]));
    const participants = facts.reduce(
      (sum, { type, data }: { type: string; data: Record<string, number> }) =>
        type === 'OpeningStockRecorded'
          ? sum + data.participants
          : type === 'ParticipationReported'
            ? sum + data.gains - data.stops
            : sum + data.gains - data.previousGains - (data.stops - data.previousStops),
      0,
    );
    expect(participants).toBe((await figures(province, 'social-insurance')).participants);
  });

  it("follows a group's figures on the unit feed", async () => {
    await test.app.listen(0, '127.0.0.1');
    const token = (
      await request(test.app.getHttpServer())
        .post('/auth/stream-token')
        .set('Authorization', viewer)
        .expect(200)
    ).body.token as string;
    const controller = new AbortController();
    const feed = `${await test.app.getUrl()}/feeds/units/${province}?scheme=social-insurance&date=2024-09-30&access_token=${token}`;
    const events = serverSentEvents(feed, {}, controller.signal);
    try {
      const first = await events.next();
      const snapshot = JSON.parse((first.value as { data: string }).data);
      const [group] = snapshot.data.schemes;
      expect(group).toMatchObject({
        scheme: 'social-insurance',
        participants: (await figures(province, 'social-insurance')).participants,
      });
    } finally {
      controller.abort();
    }
  });

  it('answers every scheme and then the groups in one read with groups=true, each as read alone', async () => {
    const scopes = ['social-insurance', 'all-schemes'];
    const one = await get(`/units/${province}/attainment`, {
      date: '2024-09-30',
      groups: 'true',
    }).expect(200);
    const answered = one.body.data.schemes as Figures[];
    const plain = (await get(`/units/${province}/attainment`, { date: '2024-09-30' }).expect(200))
      .body.data.schemes as Figures[];
    expect(answered.map(({ scheme }) => scheme)).toEqual([
      ...plain.map(({ scheme }) => scheme),
      ...scopes,
    ]);
    for (const scope of scopes) {
      expect(answered.find(({ scheme }) => scheme === scope)).toEqual(
        await figures(province, scope),
      );
    }
    const children = await get(`/units/${province}/children/attainment`, {
      date: '2024-09-30',
      groups: 'true',
    }).expect(200);
    for (const child of children.body.data.children as { schemes: Figures[] }[]) {
      expect(child.schemes.slice(-2).map(({ scheme }) => scheme)).toEqual(scopes);
    }
  });

  it('refuses groups beside a scheme, and groups that is not true or false, naming the field', async () => {
    const beside = await get(`/units/${province}/attainment`, {
      scheme: COMPULSORY,
      groups: 'true',
      date: '2024-09-30',
    }).expect(400);
    expect(beside.body.fields).toEqual([
      { field: 'groups', reason: expect.stringMatching(/leave it out with scheme/) },
    ]);
    const odd = await get(`/units/${province}/attainment`, {
      groups: 'yes',
      date: '2024-09-30',
    }).expect(400);
    expect(odd.body.fields).toEqual([
      { field: 'groups', reason: expect.stringMatching(/must be true or false/) },
    ]);
  });

  it('refuses a scheme that is neither a scheme nor a group, naming the field', async () => {
    const response = await get(`/units/${province}/attainment`, {
      scheme: 'pension',
      date: '2024-09-30',
    }).expect(400);
    expect(response.body.fields).toEqual([
      { field: 'scheme', reason: expect.stringMatching(/must be one of/) },
    ]);
  });
});
