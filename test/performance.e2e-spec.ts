import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { Clock } from '../apps/api/src/clock.js';
import { type TestApp, bearer, createTestApp } from './support/app.js';
import { loadDemo } from './support/demo.js';
import {
  type LongMyParticipant,
  dueDates,
  longMyAllocations,
  longMyParticipants,
} from './support/long-my.js';
import { MovableClock } from './support/movable-clock.js';

type Performance = {
  id: string;
  rank: number;
  organizationId: string | null;
  month: Record<string, unknown>;
  yearToDate: Record<string, unknown>;
  development: { yearlyTarget: number; monthTarget: number; monthAttainment: object } | null;
  underPerforming: boolean;
  shortfalls: string[];
};

const participants = longMyParticipants();
const allocations = longMyAllocations();

/** The figures of those `credited` in the days `counts` selects, from the demo rows alone. */
function expectedFigures(
  credited: (participant: LongMyParticipant) => boolean,
  counts: (day: string) => boolean,
) {
  const mine = participants.filter(credited);
  const renewals = mine.flatMap(({ renewal }) =>
    renewal && counts(renewal.collectedOn) ? [renewal] : [],
  );
  const due = mine.flatMap(dueDates).filter(({ dueOn }) => counts(dueOn));
  const onTime = due.filter(({ onTime }) => onTime).length;
  const newParticipants = mine.filter(({ enrolledOn }) => counts(enrolledOn)).length;
  const stops = mine.filter(({ stoppedOn }) => stoppedOn && counts(stoppedOn)).length;
  return {
    newParticipants,
    stops,
    resumptions: 0,
    net: newParticipants - stops,
    contributions: renewals.length,
    collected: renewals.reduce((sum, { amount }) => sum + amount, 0),
    retention: {
      due: due.length,
      onTime,
      ratio:
        due.length === 0
          ? null
          : {
              numerator: onTime,
              denominator: due.length,
              percent: Math.round((onTime * 10_000) / due.length) / 100,
            },
    },
  };
}

function expectedPerformance(
  id: string,
  credited: (participant: LongMyParticipant) => boolean,
  month: string,
) {
  const figures = {
    month: expectedFigures(credited, (day) => day.startsWith(month)),
    yearToDate: expectedFigures(credited, (day) => day >= '2025-01-01' && day.slice(0, 7) <= month),
  };
  const target = allocations.get(id)!;
  const { newParticipants, retention } = figures.month;
  const shortfalls = [
    ...(newParticipants * 12 < 0.8 * target ? ['development'] : []),
    ...(retention.due > 0 && retention.onTime < 0.8 * retention.due ? ['retention'] : []),
  ];
  return { id, target, ...figures, shortfalls, underPerforming: shortfalls.length > 0 };
}

/** Best development attainment first, then new participants, VND collected, id. */
function expectedOrder(items: ReturnType<typeof expectedPerformance>[]): string[] {
  return [...items]
    .sort(
      (a, b) =>
        b.month.newParticipants * a.target - a.month.newParticipants * b.target ||
        b.month.newParticipants - a.month.newParticipants ||
        b.month.collected - a.month.collected ||
        a.id.localeCompare(b.id),
    )
    .map(({ id }) => id);
}

const AGENTS = ['A-LM-01', 'A-LM-02', 'A-LM-03', 'A-LM-04', 'A-LM-05', 'A-LM-06'];
const MONTHS = ['2025-03', '2025-06', '2025-09'];

describe('organization and agent performance and renewal worklists (HTTP), with the demo scenario loaded', () => {
  let test: TestApp;
  let viewer: string;
  let position = 0;
  const clock = new MovableClock('2025-09-29T20:00:00Z');

  beforeAll(async () => {
    test = await createTestApp({ overrides: [{ provide: Clock, useValue: clock }] });
    viewer = await bearer('viewer');
    position = await loadDemo(test);
  }, 240_000);
  afterAll(() => test?.close());

  const read = async (path: string, query: object, token = viewer, status = 200) =>
    (
      await request(test.app.getHttpServer())
        .get(path)
        .query({ waitForPosition: position, ...query })
        .set('Authorization', token)
        .expect(status)
    ).body;

  it.each(MONTHS)(
    "ranks Long My's six agents in %s with the figures the demo rows give",
    async (month) => {
      const answer = await read('/performance/agents', { month, unitId: 'CT-LM' });
      expect(answer.position).toBeGreaterThanOrEqual(position);
      const expected = AGENTS.map((id) =>
        expectedPerformance(id, ({ agentId }) => agentId === id, month),
      );
      const items = answer.data.items as Performance[];
      expect(answer.data.total).toBe(6);
      expect(items.map(({ id }) => id)).toEqual(expectedOrder(expected));
      expect(items.map(({ rank }) => rank)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const item of items) {
        const { target, ...figures } = expected.find(({ id }) => id === item.id)!;
        expect(item).toMatchObject({
          ...figures,
          development: {
            yearlyTarget: target,
            monthTarget: Math.round((target * 100) / 12) / 100,
            monthAttainment: {
              numerator: figures.month.newParticipants * 12,
              denominator: target,
            },
          },
        });
      }
    },
  );

  it('singles out, in September, the agents who enrolled nobody and the month nobody renewed', async () => {
    const answer = await read('/performance/agents', { month: '2025-09', unitId: 'CT-LM' });
    const items = answer.data.items as Performance[];
    const idle = items.filter(({ month }) => month.newParticipants === 0);
    expect(idle.length).toBeGreaterThan(0);
    for (const item of idle) expect(item.shortfalls).toContain('development');
    expect(answer.data.thresholds).toEqual({ developmentPercent: 80, retentionPercent: 80 });
  });

  it("gives VNPOST-CT's month and year to date against its 1,200 allocation, and its rank among organizations", async () => {
    const answer = await read('/organizations/VNPOST-CT/performance', { month: '2025-06' });
    const expected = expectedPerformance(
      'VNPOST-CT',
      ({ organizationId }) => organizationId === 'VNPOST-CT',
      '2025-06',
    );
    const coop = expectedPerformance(
      'COOP-LM',
      ({ organizationId }) => organizationId === 'COOP-LM',
      '2025-06',
    );
    const { target, ...figures } = expected;
    expect(target).toBe(1_200);
    expect(answer.data.performance).toMatchObject({
      ...figures,
      rank: expectedOrder([expected, coop]).indexOf('VNPOST-CT') + 1,
      development: {
        yearlyTarget: 1_200,
        monthTarget: 100,
        yearToDateAttainment: {
          numerator: expected.yearToDate.newParticipants,
          denominator: 1_200,
        },
      },
      collection: null,
    });
    expect(answer.data.rankedAmong).toBe(2);
  });

  it('ranks organizations within a unit, and the agents of one organization only', async () => {
    const organizations = await read('/performance/organizations', {
      month: '2025-06',
      unitId: 'CT',
      limit: 1,
    });
    expect(organizations.data.total).toBe(2);
    expect(organizations.data.items).toHaveLength(1);
    expect(organizations.data.items[0].rank).toBe(1);
    const elsewhere = await read('/performance/organizations', { month: '2025-06', unitId: 'HP' });
    expect(elsewhere.data.total).toBe(0);

    const agents = await read('/performance/agents', {
      month: '2025-06',
      organizationId: 'COOP-LM',
    });
    expect(agents.data.items.map(({ id }: Performance) => id).sort()).toEqual([
      'A-LM-05',
      'A-LM-06',
    ]);
  });

  it("gives one agent's month with its rank among every agent", async () => {
    const answer = await read('/agents/A-LM-06/performance', { month: '2025-09' });
    const { target, ...figures } = expectedPerformance(
      'A-LM-06',
      ({ agentId }) => agentId === 'A-LM-06',
      '2025-09',
    );
    expect(target).toBe(155);
    expect(answer.data.performance).toMatchObject({ ...figures, organizationId: 'COOP-LM' });
    expect(answer.data.rankedAmong).toBe(6);
  });

  it("lists an agent's participants due within 30 days and those lapsed, with days until and since", async () => {
    // A-LM-04 enrolled from June to early August: July's paid until 30 September (lapsed on
    // 15 October), August's until 31 October (due), June's renewed until 30 November.
    const asOf = '2025-10-15';
    const dueBy = '2025-11-14';
    const mine = participants
      .filter(({ agentId, stoppedOn }) => agentId === 'A-LM-04' && !stoppedOn)
      .map((participant) => ({
        participantId: participant.participantId,
        paidUntil: participant.renewal?.paidUntil ?? participant.firstPaidUntil,
      }))
      .filter(({ paidUntil }) => paidUntil <= dueBy);
    const lapsed = mine.filter(({ paidUntil }) => paidUntil < asOf);
    expect(lapsed.length).toBeGreaterThan(0);
    expect(mine.length).toBeGreaterThan(lapsed.length);
    const answer = await read('/agents/A-LM-04/renewals', { asOf, within: 30, limit: 200 });
    expect(answer.data).toMatchObject({
      agent: { id: 'A-LM-04', organizationId: 'VNPOST-CT' },
      asOf,
      dueBy,
      total: mine.length,
      lapsed: lapsed.length,
      due: mine.length - lapsed.length,
    });
    const items = answer.data.participants as {
      participantId: string;
      paidUntil: string;
      status: string;
      daysUntil: number | null;
      daysSince: number | null;
    }[];
    expect(items.map(({ participantId }) => participantId).sort()).toEqual(
      mine.map(({ participantId }) => participantId).sort(),
    );
    const paidUntils = items.map(({ paidUntil }) => paidUntil);
    expect(paidUntils).toEqual([...paidUntils].sort());
    for (const item of items) {
      const days = Math.round((Date.parse(item.paidUntil) - Date.parse(asOf)) / 86_400_000);
      expect(item).toMatchObject(
        days < 0
          ? { status: 'lapsed', daysUntil: null, daysSince: -days }
          : { status: 'due', daysUntil: days, daysSince: null },
      );
    }
  });

  it('reads the worklist for today in Vietnam when asOf is absent', async () => {
    // 20:00 UTC on 29 September is already 30 September in Vietnam.
    const answer = await read('/agents/A-LM-01/renewals', {});
    expect(answer.data.asOf).toBe('2025-09-30');
  });

  it("lets an agent read its own organization's worklists and refuses another organization's", async () => {
    const colleague = await bearer('agent', { organizationId: 'VNPOST-CT' });
    await read('/agents/A-LM-01/renewals', { asOf: '2025-09-30' }, colleague);
    const outsider = await bearer('agent', { organizationId: 'COOP-LM' });
    const refused = await read('/agents/A-LM-01/renewals', { asOf: '2025-09-30' }, outsider, 403);
    expect(refused.error).toBe('forbidden');
    for (const role of ['manager', 'auditor', 'admin'] as const) {
      await read('/agents/A-LM-01/renewals', { asOf: '2025-09-30' }, await bearer(role));
    }
  });

  it('answers 404 for an unknown agent or organization and 400 for a bad month', async () => {
    expect((await read('/agents/NOPE/renewals', {}, viewer, 404)).error).toBe('not_found');
    await read('/agents/NOPE/performance', { month: '2025-06' }, viewer, 404);
    await read('/organizations/NOPE/performance', { month: '2025-06' }, viewer, 404);
    await read('/performance/agents', { month: '2025-06', organizationId: 'NOPE' }, viewer, 404);
    await read('/performance/organizations', { month: '2025-06', unitId: 'NOPE' }, viewer, 404);
    const bad = await read('/performance/agents', { month: '2025-13' }, viewer, 400);
    expect(bad.fields).toEqual([{ field: 'month', reason: 'must be a month written YYYY-MM' }]);
  });
});
