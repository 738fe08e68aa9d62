import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays } from '#domain';
import { EventStore } from '#event-store';
import { ProjectionRunner } from '#projections';
import request from 'supertest';
import { CampaignScheduler } from '../apps/api/src/campaigns/end-campaigns/campaign-scheduler.js';
import { type DemoRow } from '../apps/cli/src/demo/demo-row.js';
import { DONG_NAI } from '../apps/cli/src/demo/dong-nai-2025.js';
import { demoScenario } from '../apps/cli/src/demo/scenario.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';

type Objective = {
  objectiveId: string;
  target: number;
  achieved: number;
  breakdown: Record<string, number>;
  attainment: { percent: number } | null;
  remaining: number;
  shouldBe: number;
  aheadOfLine: number;
  requiredPerDay: number | null;
  series: { date: string; day: number; value: number; achieved: number; shouldBe: number }[];
};
type Standing = { rank: number; gains: number; stops: number; net: number; contributedVnd: number };

const inWindow = (from: string, to: string) => (date: unknown) =>
  typeof date === 'string' && date >= from && date <= to;
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Campaign progress read through HTTP, against figures computed from the demo's own rows. */
describe('campaign progress (HTTP), with the demo scenario loaded', () => {
  let test: TestApp;
  let manager: string;
  let viewer: string;
  let position = 0;
  const rows = demoScenario();
  const of = (command: string) => rows.filter((row) => row.command === command);
  const { startDate, endDate } = DONG_NAI.campaign;

  beforeAll(async () => {
    test = await createTestApp();
    manager = await bearer('manager', { subject: 'demo-loader' });
    viewer = await bearer('viewer');
    for (let start = 0; start < rows.length; start += 2_000) {
      const response = await request(test.app.getHttpServer())
        .post('/imports')
        .set('Authorization', manager)
        .send(rows.slice(start, start + 2_000))
        .expect(201);
      position = response.body.position;
    }
    // The campaign ended long ago: let the scheduler record it, as it does within a minute.
    await test.app.get(ProjectionRunner).caughtUp(position, 60_000);
    expect((await test.app.get(CampaignScheduler).endDueCampaigns()).failed).toEqual([]);
    position = await test.app.get(EventStore).headPosition();
  }, 300_000);
  afterAll(() => test?.close());

  const read = async (path: string, query: object = {}) => {
    const response = await request(test.app.getHttpServer())
      .get(path)
      .query({ waitForPosition: position, ...query })
      .set('Authorization', viewer)
      .expect(200);
    expect(response.body.position).toBeGreaterThanOrEqual(position);
    expect(response.body.lag).toBe(response.body.head - response.body.position);
    return response.body.data;
  };
  const objective = (progress: { objectives: Objective[] }, objectiveId: string) =>
    progress.objectives.find((candidate) => candidate.objectiveId === objectiveId)!;

  /** Dong Nai's daily reports of a scheme in a period: the only development in its scope. */
  const dongNaiReports = (scheme: string, from: string = startDate, to: string = endDate) =>
    of('ReportParticipation').filter(
      (row) =>
        String(row.unitId).startsWith('DN') &&
        row.scheme === scheme &&
        inWindow(from, to)(row.date),
    ) as (DemoRow & { gains: number; stops: number; date: string })[];

  describe('Dong Nai peak campaign DN-PEAK-2025-12', () => {
    it('achieves the net development the daily reports give in its window, scheme by scheme', async () => {
      const progress = await read('/campaigns/DN-PEAK-2025-12/progress');
      expect(progress.campaign).toEqual({
        campaignId: 'DN-PEAK-2025-12',
        name: expect.any(String),
        status: 'ended',
        scopeUnitIds: ['DN'],
      });
      expect(progress).toMatchObject({
        window: { startDate, endDate, lastDay: endDate, totalDays: 20, countedDays: 20 },
        daysElapsed: 20,
        daysRemaining: 0,
      });
      for (const [scheme, { campaignGain }] of Object.entries(DONG_NAI.stocks)) {
        const reports = dongNaiReports(scheme);
        const gains = sum(reports.map((row) => row.gains));
        const stops = sum(reports.map((row) => row.stops));
        expect(gains - stops).toBe(campaignGain);
        const target = DONG_NAI.objectives[scheme as keyof typeof DONG_NAI.objectives];
        expect(objective(progress, `participants-${scheme}`)).toMatchObject({
          target,
          achieved: campaignGain,
          breakdown: { gains, stops, resumptions: 0 },
          remaining: target - campaignGain,
          shouldBe: target,
          aheadOfLine: campaignGain - target,
          requiredPerDay: null,
        });
      }
      expect(objective(progress, 'participants-compulsory-social-insurance').attainment).toEqual({
        numerator: 38_000,
        denominator: 60_000,
        percent: 63.33,
      });
    });

    it('recovers the arrears the 300 paying employers paid in the window', async () => {
      const payments = of('PayArrears').filter((row) =>
        inWindow(startDate, endDate)(row.paidOn),
      ) as (DemoRow & { amount: number })[];
      expect(payments).toHaveLength(300);
      const recovered = sum(payments.map((row) => row.amount));
      const progress = await read('/campaigns/DN-PEAK-2025-12/progress');
      expect(objective(progress, 'debt-recovered')).toMatchObject({
        target: 300_000_000_000,
        achieved: recovered,
        breakdown: { payments: 300 },
        remaining: Math.max(0, 300_000_000_000 - recovered),
      });
    });

    it('draws the daily cumulative series against the straight should-be line', async () => {
      const scheme = 'health-insurance';
      const progress = await read('/campaigns/DN-PEAK-2025-12/progress');
      const { series } = objective(progress, `participants-${scheme}`);
      const reports = dongNaiReports(scheme);
      expect(series).toHaveLength(20);
      let achieved = 0;
      series.forEach((point, index) => {
        const date = addDays(startDate, index);
        const report = reports.find((row) => row.date === date)!;
        achieved += report.gains - report.stops;
        expect(point).toEqual({
          date,
          day: index + 1,
          value: report.gains - report.stops,
          achieved,
          shouldBe: Math.round((140_000 * (index + 1)) / 20),
        });
      });
      expect(series.at(-1)).toMatchObject({ achieved: 120_000, shouldBe: 140_000 });
    });

    it('counts days and the rate still required as of a date inside the window', async () => {
      const asOf = '2025-12-19';
      const progress = await read('/campaigns/DN-PEAK-2025-12/progress', { asOf });
      expect(progress).toMatchObject({ asOf, daysElapsed: 10, daysRemaining: 10 });
      const reports = dongNaiReports('compulsory-social-insurance', startDate, asOf);
      const achieved = sum(reports.map((row) => row.gains - row.stops));
      expect(objective(progress, 'participants-compulsory-social-insurance')).toMatchObject({
        achieved,
        shouldBe: 30_000,
        aheadOfLine: achieved - 30_000,
        remaining: 60_000 - achieved,
        requiredPerDay: Math.ceil((60_000 - achieved) / 10),
      });
      expect(objective(progress, 'participants-compulsory-social-insurance').series).toHaveLength(
        10,
      );
    });

    it('ranks the communes below the province, and shows the development reported for the province itself', async () => {
      const progress = await read('/campaigns/DN-PEAK-2025-12/progress');
      const { units, onScopeUnits, organizations, agents } = progress.leaderboards;
      expect(units.total).toBe(3);
      expect(
        units.entries.map(({ unit }: { unit: { unitId: string } }) => unit.unitId).sort(),
      ).toEqual(['DN-BH', 'DN-LK', 'DN-TB']);
      expect(units.entries.every(({ net, rank }: Standing) => net === 0 && rank === 1)).toBe(true);
      expect(onScopeUnits.net).toBe(38_000 + 15_000 + 120_000);
      // Dong Nai is reported in aggregate: no person-level fact names a collector.
      expect(organizations).toEqual({ entries: [], total: 0 });
      expect(agents).toEqual({ entries: [], total: 0 });
    });
  });

  describe('a campaign over Can Tho, where Long My is recorded person by person', () => {
    const campaignId = 'CT-Q2-2025';
    const [from, to] = ['2025-04-01', '2025-06-30'];
    const scheme = 'voluntary-social-insurance';
    const enrolments = () =>
      of('EnrollParticipant') as (DemoRow & {
        participantId: string;
        agentId: string;
        organizationId: string;
        enrolledOn: string;
        unitId: string;
      })[];
    const agentOf = (participantId: string) =>
      enrolments().find((row) => row.participantId === participantId)!;

    beforeAll(async () => {
      const response = await request(test.app.getHttpServer())
        .post('/campaigns')
        .set('Authorization', manager)
        .send({
          campaignId,
          name: 'Voluntary SI drive, second quarter',
          startDate: from,
          endDate: to,
          scopeUnitIds: ['CT'],
          objectives: [
            { objectiveId: 'voluntary', scheme, metric: 'participants', target: 5_000 },
            { objectiveId: 'collected', scheme, metric: 'contributions', target: 500_000_000 },
          ],
        })
        .expect(201);
      position = response.body.position;
    });

    it('counts reports and person-level facts of the whole city, and the contributions collected', async () => {
      const reported = of('ReportParticipation').filter(
        (row) =>
          String(row.unitId).startsWith('CT') &&
          row.scheme === scheme &&
          inWindow(from, to)(row.date),
      ) as (DemoRow & { gains: number; stops: number })[];
      const enrolled = enrolments().filter((row) => inWindow(from, to)(row.enrolledOn)).length;
      const stopped = of('StopParticipation').filter((row) => inWindow(from, to)(row.stoppedOn));
      const gains = sum(reported.map((row) => row.gains)) + enrolled;
      const stops = sum(reported.map((row) => row.stops)) + stopped.length;
      const collected = of('CollectContribution').filter((row) =>
        inWindow(from, to)(row.collectedOn),
      ) as (DemoRow & { amount: number })[];
      const progress = await read(`/campaigns/${campaignId}/progress`);
      expect(objective(progress, 'voluntary')).toMatchObject({
        achieved: gains - stops,
        breakdown: { gains, stops, resumptions: 0 },
      });
      expect(objective(progress, 'collected')).toMatchObject({
        achieved: sum(collected.map((row) => row.amount)),
        breakdown: { collections: collected.length },
      });
    });

    it('ranks the wards, the organizations and the agents by net development in the window', async () => {
      const progress = await read(`/campaigns/${campaignId}/progress`, { leaderboardSize: 100 });
      const byAgent = new Map<string, { gains: number; stops: number; organizationId: string }>();
      const credit = (participantId: string, change: 'gains' | 'stops') => {
        const { agentId, organizationId } = agentOf(participantId);
        const entry = byAgent.get(agentId) ?? { gains: 0, stops: 0, organizationId };
        entry[change] += 1;
        byAgent.set(agentId, entry);
      };
      for (const row of enrolments().filter((row) => inWindow(from, to)(row.enrolledOn)))
        credit(row.participantId, 'gains');
      for (const row of of('StopParticipation').filter((row) => inWindow(from, to)(row.stoppedOn)))
        credit(String(row.participantId), 'stops');
      // Renewals are credited to whoever collected them, who may have enrolled nobody here.
      for (const row of of('CollectContribution').filter((row) =>
        inWindow(from, to)(row.collectedOn),
      ))
        if (!byAgent.has(String(row.agentId)))
          byAgent.set(String(row.agentId), {
            gains: 0,
            stops: 0,
            organizationId: String(row.organizationId),
          });
      const collectedBy = (agentId: string) =>
        sum(
          (
            of('CollectContribution') as (DemoRow & {
              agentId: string;
              amount: number;
              collectedOn: string;
            })[]
          )
            .filter((row) => row.agentId === agentId && inWindow(from, to)(row.collectedOn))
            .map((row) => row.amount),
        );
      const expected = [...byAgent.entries()]
        .map(([agentId, { gains, stops, organizationId }]) => ({
          agentId,
          organizationId,
          gains,
          stops,
          net: gains - stops,
          contributedVnd: collectedBy(agentId),
        }))
        .sort((a, b) => b.net - a.net || b.contributedVnd - a.contributedVnd);
      const { agents, organizations, units } = progress.leaderboards;
      expect(agents.total).toBe(byAgent.size);
      expect(byAgent.size).toBeGreaterThan(1);
      expect(
        agents.entries.map(
          ({ rank: _, resumptions: __, ...entry }: Standing & { resumptions: number }) => entry,
        ),
      ).toEqual(expected);
      expect(agents.entries[0].rank).toBe(1);
      const byOrganization = new Map<string, number>();
      for (const { organizationId, net } of expected)
        byOrganization.set(organizationId, (byOrganization.get(organizationId) ?? 0) + net);
      expect(
        organizations.entries.map(
          ({ organizationId, net }: Standing & { organizationId: string }) => [organizationId, net],
        ),
      ).toEqual([...byOrganization.entries()].sort((a, b) => b[1] - a[1]));
      expect(sum(organizations.entries.map(({ net }: Standing) => net))).toBe(
        sum(expected.map(({ net }) => net)),
      );
      const longMy = units.entries.find(
        ({ unit }: { unit: { unitId: string } }) => unit.unitId === 'CT-LM',
      );
      expect(longMy.net).toBe(sum(expected.map(({ net }) => net)));
      expect(units.total).toBe(4);
    });

    it('ranks by one scheme only when asked, and counts nothing of another', async () => {
      const progress = await read(`/campaigns/${campaignId}/progress`, {
        scheme: 'health-insurance',
      });
      expect(progress.leaderboards.schemes).toEqual(['health-insurance']);
      expect(progress.leaderboards.agents).toEqual({ entries: [], total: 0 });
    });
  });

  describe('the list of campaigns', () => {
    it('lists campaigns with their status, filtered and paged', async () => {
      const ended = await read('/campaigns', { status: 'ended' });
      expect(ended.campaigns.map(({ campaignId }: { campaignId: string }) => campaignId)).toContain(
        'DN-PEAK-2025-12',
      );
      expect(ended.campaigns[0]).toMatchObject({
        status: 'ended',
        startDate,
        endDate,
        plannedEndDate: endDate,
        lastDay: endDate,
        closedOn: null,
        scopeUnitIds: ['DN'],
      });
      const all = await read('/campaigns', { limit: 1 });
      expect(all.total).toBe(2);
      expect(all.campaigns).toHaveLength(1);
      expect(all.campaigns[0].campaignId).toBe('DN-PEAK-2025-12');
      expect((await read('/campaigns', { scopeUnitId: 'CT' })).campaigns).toEqual([
        expect.objectContaining({ campaignId: 'CT-Q2-2025' }),
      ]);
      const runningOn = async (date: string) =>
        (await read('/campaigns', { runningOn: date })).campaigns.map(
          ({ campaignId }: { campaignId: string }) => campaignId,
        );
      expect(await runningOn('2025-05-01')).toEqual(['CT-Q2-2025']);
      expect(await runningOn('2025-12-29')).toEqual(['DN-PEAK-2025-12']);
      expect(await runningOn('2025-12-30')).toEqual([]);
      // A page past the end still says how many there are.
      expect(await read('/campaigns', { offset: 10 })).toEqual({ campaigns: [], total: 2 });
      expect(await read('/campaigns', { status: 'cancelled' })).toEqual({
        campaigns: [],
        total: 0,
      });
    });

    it('answers 404 for an unknown campaign and 400 for a bad date or status', async () => {
      const server = test.app.getHttpServer();
      const unknown = await request(server)
        .get('/campaigns/NOPE/progress')
        .set('Authorization', viewer)
        .expect(404);
      expect(unknown.body.error).toBe('not_found');
      const bad = await request(server)
        .get('/campaigns/DN-PEAK-2025-12/progress')
        .query({ asOf: '2025-02-30' })
        .set('Authorization', viewer)
        .expect(400);
      expect(bad.body.fields).toEqual([
        { field: 'asOf', reason: 'must be a real calendar date written YYYY-MM-DD' },
      ]);
      await request(server)
        .get('/campaigns')
        .query({ status: 'paused' })
        .set('Authorization', viewer)
        .expect(400);
      await request(server).get('/campaigns').expect(401);
    });
  });
});
