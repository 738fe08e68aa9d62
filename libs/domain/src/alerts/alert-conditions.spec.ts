import { describe, expect, it } from '@jest/globals';
import {
  type CampaignStanding,
  type MilestoneStanding,
  type PerformanceStanding,
  alertStream,
  campaignObservations,
  judgedMonth,
  milestoneObservations,
  performanceObservations,
  renewalObservations,
  unitPlanObservations,
} from './alert-conditions.js';
import {
  DEFAULT_CAMPAIGN_ALERT_RULE,
  DEFAULT_MILESTONE_ALERT_RULE,
  DEFAULT_PERFORMANCE_ALERT_RULE,
  DEFAULT_UNIT_ALERT_RULE,
  alertRulesDecider,
  ruleInForce,
} from './alert-rules.decider.js';

// Hai Phong's three-party program: 20 October 2024, 40 communes required.
const milestone = (standing: Partial<MilestoneStanding>): MilestoneStanding => ({
  milestoneId: 'HP-3P-2024',
  deadline: '2024-10-20',
  asOf: '2024-09-30',
  daysRemaining: 20,
  required: 40,
  pending: 10,
  pendingAtDeadline: 40,
  projectedCompletionOn: '2024-10-10',
  projectedAfterDeadline: false,
  ...standing,
});
const holding = (standing: MilestoneStanding, rule = DEFAULT_MILESTONE_ALERT_RULE) =>
  Object.fromEntries(milestoneObservations(rule, standing).map((o) => [o.condition, o.holds]));

describe('milestone alert conditions', () => {
  it('holds nothing while the projection meets the deadline with days to spare', () => {
    expect(holding(milestone({}))).toEqual({
      'milestone-at-risk': false,
      'milestone-missed': false,
    });
  });

  it('is at risk when the projected completion passes the deadline', () => {
    const late = milestone({ projectedCompletionOn: '2024-10-25', projectedAfterDeadline: true });
    expect(holding(late)['milestone-at-risk']).toBe(true);
  });

  it("is at risk when the rule's days are left and units are still pending", () => {
    expect(holding(milestone({ asOf: '2024-10-13', daysRemaining: 7 }))['milestone-at-risk']).toBe(
      true,
    );
    expect(holding(milestone({ asOf: '2024-10-12', daysRemaining: 8 }))['milestone-at-risk']).toBe(
      false,
    );
    const rule = { atRiskDaysLeft: 10 };
    expect(
      holding(milestone({ asOf: '2024-10-10', daysRemaining: 10 }), rule)['milestone-at-risk'],
    ).toBe(true);
  });

  it('is not at risk once nothing is pending, however close the deadline', () => {
    const done = milestone({ asOf: '2024-10-19', daysRemaining: 1, pending: 0 });
    expect(holding(done)['milestone-at-risk']).toBe(false);
  });

  it('is missed the day after the deadline with units pending at its end, and no longer at risk', () => {
    const after = milestone({ asOf: '2024-10-21', daysRemaining: 0, pendingAtDeadline: 3 });
    expect(holding(after)).toEqual({ 'milestone-at-risk': false, 'milestone-missed': true });
    const onTheDay = milestone({ asOf: '2024-10-20', daysRemaining: 0, pendingAtDeadline: 3 });
    expect(holding(onTheDay)['milestone-missed']).toBe(false);
  });

  it('names each alert by condition, milestone and deadline, with the figures', () => {
    const [atRisk] = milestoneObservations(
      DEFAULT_MILESTONE_ALERT_RULE,
      milestone({ projectedAfterDeadline: true, projectedCompletionOn: '2024-10-25' }),
    );
    expect(atRisk).toEqual({
      alertId: 'milestone-at-risk.HP-3P-2024.2024-10-20',
      condition: 'milestone-at-risk',
      subject: { kind: 'milestone', id: 'HP-3P-2024' },
      period: '2024-10-20',
      holds: true,
      figures: {
        asOf: '2024-09-30',
        deadline: '2024-10-20',
        daysRemaining: 20,
        required: 40,
        pending: 10,
        projectedCompletionOn: '2024-10-25',
        atRiskDaysLeft: 7,
      },
    });
  });
});

const campaign = (achieved: number, shouldBe: number, target = 60_000): CampaignStanding => ({
  campaignId: 'DN-PEAK',
  startDate: '2025-12-12',
  lastDay: '2025-12-31',
  asOf: '2025-12-21',
  objectives: [{ objectiveId: 'health', target, achieved, shouldBe }],
});
const campaignHolding = (standing: CampaignStanding, rule = DEFAULT_CAMPAIGN_ALERT_RULE) =>
  Object.fromEntries(campaignObservations(rule, standing).map((o) => [o.condition, o.holds]));

describe('campaign alert conditions', () => {
  it('is behind only when the shortfall is more than the percentage of the line', () => {
    expect(campaignHolding(campaign(27_000, 30_000))['campaign-behind-line']).toBe(false);
    expect(campaignHolding(campaign(26_999, 30_000))['campaign-behind-line']).toBe(true);
    expect(
      campaignHolding(campaign(27_000, 30_000), {
        ...DEFAULT_CAMPAIGN_ALERT_RULE,
        behindLinePercent: 5,
      })['campaign-behind-line'],
    ).toBe(true);
  });

  it('is not behind before the line has risen', () => {
    expect(campaignHolding(campaign(0, 0))['campaign-behind-line']).toBe(false);
  });

  it('meets an objective once achieved reaches its target', () => {
    expect(campaignHolding(campaign(59_999, 60_000))['campaign-objective-met']).toBe(false);
    expect(campaignHolding(campaign(60_000, 60_000))['campaign-objective-met']).toBe(true);
  });

  it('names each alert by condition, campaign, objective and window', () => {
    const ids = campaignObservations(DEFAULT_CAMPAIGN_ALERT_RULE, campaign(1, 2)).map(
      (o) => o.alertId,
    );
    expect(ids).toEqual([
      'campaign-behind-line.DN-PEAK.health.2025-12-12..2025-12-31',
      'campaign-objective-met.DN-PEAK.health.2025-12-12..2025-12-31',
    ]);
  });
});

describe('renewal reminders', () => {
  const standing = (due: number, lapsed: number) => ({
    agentId: 'A-LM-04',
    asOf: '2025-09-29',
    dueBy: '2025-10-13',
    due,
    lapsed,
  });

  it("holds on a day the agent's worklist has anyone due or lapsed, as that day's reminder", () => {
    expect(renewalObservations(standing(0, 0))[0].holds).toBe(false);
    expect(renewalObservations(standing(3, 0))[0].holds).toBe(true);
    expect(renewalObservations(standing(0, 2))[0]).toEqual({
      alertId: 'renewals-due.A-LM-04.2025-09-29',
      condition: 'renewals-due',
      subject: { kind: 'agent', id: 'A-LM-04' },
      period: '2025-09-29',
      holds: true,
      figures: { asOf: '2025-09-29', dueBy: '2025-10-13', within: 14, due: 0, lapsed: 2 },
    });
  });
});

describe('behind the line for several days', () => {
  const rule = { ...DEFAULT_CAMPAIGN_ALERT_RULE, behindForDays: 3 };
  const day = (asOf: string, achieved: number): CampaignStanding => ({
    ...campaign(achieved, 30_000),
    asOf,
  });
  const behind = (today: CampaignStanding, earlier: CampaignStanding[]) =>
    campaignObservations(rule, today, earlier)[0];

  it('holds only once the objective has been behind on each of the days, today included', () => {
    expect(behind(day('2025-12-21', 20_000), [day('2025-12-20', 20_000)]).holds).toBe(false);
    expect(
      behind(day('2025-12-21', 20_000), [day('2025-12-20', 29_000), day('2025-12-19', 20_000)])
        .holds,
    ).toBe(false);
    const held = behind(day('2025-12-21', 20_000), [
      day('2025-12-20', 20_000),
      day('2025-12-19', 26_000),
    ]);
    expect(held.holds).toBe(true);
    expect(held.figures).toMatchObject({ behindForDays: 3, behindLinePercent: 10 });
  });

  it('stops holding the first day it is back within the line', () => {
    expect(
      behind(day('2025-12-22', 28_000), [day('2025-12-21', 20_000), day('2025-12-20', 20_000)])
        .holds,
    ).toBe(false);
  });

  it('takes a day before the campaign started as not behind', () => {
    expect(
      behind(day('2025-12-13', 0), [day('2025-12-12', 0), { ...day('2025-12-11', 0) }]).holds,
    ).toBe(false);
  });

  it('keeps the old behaviour (today alone) by default, also for a rule set before the days existed', () => {
    expect(
      ruleInForce('campaign', {
        rule: { behindLinePercent: 5 } as never,
      }),
    ).toEqual({ behindLinePercent: 5, behindForDays: 1 });
    expect(campaignObservations(DEFAULT_CAMPAIGN_ALERT_RULE, day('2025-12-21', 1))[0].holds).toBe(
      true,
    );
  });
});

describe('under-performance of an organization or agent in a month', () => {
  const month = (standing: Partial<PerformanceStanding>): PerformanceStanding => ({
    kind: 'agent',
    id: 'A-LM-04',
    month: '2025-06',
    newParticipants: 8,
    yearlyTarget: 120,
    renewalsDue: 10,
    renewedOnTime: 8,
    ...standing,
  });
  const judged = (standing: PerformanceStanding, rule = DEFAULT_PERFORMANCE_ALERT_RULE) =>
    performanceObservations(rule, standing, '2025-07-01')[0];

  it('holds below 80% of a twelfth of the yearly target, or below 80% of renewals on time', () => {
    expect(judged(month({})).holds).toBe(false);
    expect(judged(month({ newParticipants: 7 }))).toMatchObject({
      alertId: 'under-performing.A-LM-04.agent.2025-06',
      subject: { kind: 'agent', id: 'A-LM-04' },
      period: '2025-06',
      holds: true,
      figures: { shortfalls: 'development', newParticipants: 7, yearlyTarget: 120 },
    });
    expect(judged(month({ renewedOnTime: 7 })).figures.shortfalls).toBe('retention');
    expect(judged(month({ yearlyTarget: null, renewalsDue: 0, newParticipants: 0 })).holds).toBe(
      false,
    );
  });

  it("judges by the subject's own thresholds", () => {
    const strict = { developmentPercent: 100, retentionPercent: 100 };
    expect(judged(month({ kind: 'organization', id: 'COOP-LM' }), strict)).toMatchObject({
      alertId: 'under-performing.COOP-LM.organization.2025-06',
      holds: true,
      figures: { shortfalls: 'development,retention' },
    });
  });
});

describe('the month judged on a day', () => {
  it('is last month from the 3rd, the month before until then, so late reports settle first', () => {
    expect(judgedMonth('2025-07-01')).toBe('2025-05');
    expect(judgedMonth('2025-07-02')).toBe('2025-05');
    expect(judgedMonth('2025-07-03')).toBe('2025-06');
    expect(judgedMonth('2025-07-31')).toBe('2025-06');
    expect(judgedMonth('2026-01-01')).toBe('2025-11');
    expect(judgedMonth('2026-01-03')).toBe('2025-12');
    expect(judgedMonth('2025-07-01', 1)).toBe('2025-06');
  });
});

describe('under-performance alerts of an organization and an agent with the same code', () => {
  it('are two alerts, one per subject, each on a stream of its own', () => {
    const standing = {
      id: 'LM-04',
      month: '2025-06',
      newParticipants: 0,
      yearlyTarget: 120,
      renewalsDue: 0,
      renewedOnTime: 0,
    } as const;
    const [organization] = performanceObservations(
      DEFAULT_PERFORMANCE_ALERT_RULE,
      { ...standing, kind: 'organization' },
      '2025-07-01',
    );
    const [agent] = performanceObservations(
      DEFAULT_PERFORMANCE_ALERT_RULE,
      { ...standing, kind: 'agent' },
      '2025-07-01',
    );
    expect(organization.alertId).toBe('under-performing.LM-04.organization.2025-06');
    expect(agent.alertId).toBe('under-performing.LM-04.agent.2025-06');
    expect(alertStream(organization.alertId)).not.toBe(alertStream(agent.alertId));
  });
});

describe('unit attainment below plan at month-end', () => {
  const standing = (participants: number) => ({
    unitId: 'HP',
    scheme: 'voluntary-social-insurance',
    month: '2025-06',
    monthEnd: '2025-06-30',
    participants,
    planTarget: 10_000,
  });

  it('holds below the percentage of the plan in force, one alert per unit, scheme and month', () => {
    expect(
      unitPlanObservations(DEFAULT_UNIT_ALERT_RULE, standing(8_000), '2025-07-01')[0].holds,
    ).toBe(false);
    expect(
      unitPlanObservations(DEFAULT_UNIT_ALERT_RULE, standing(7_999), '2025-07-01')[0],
    ).toMatchObject({
      alertId: 'attainment-below-plan.HP.voluntary-social-insurance.2025-06',
      subject: { kind: 'unit', id: 'HP' },
      holds: true,
      figures: { participants: 7_999, planTarget: 10_000, attainmentBelowPercent: 80 },
    });
    expect(
      unitPlanObservations({ attainmentBelowPercent: 90 }, standing(8_500), '2025-07-01')[0].holds,
    ).toBe(true);
  });
});

describe('rules with a webhook of their own', () => {
  it('takes a webhook beside the thresholds, and refuses a stray field', () => {
    const webhook = {
      url: 'https://office.example/alerts',
      secretRef: '6f1c2b8e-4f7a-4d1e-9a43-2c1e5b7d9f00',
    };
    const [event] = alertRulesDecider.decide(
      {
        type: 'SetAlertRule',
        subject: { kind: 'unit', id: 'HP' },
        rule: { attainmentBelowPercent: 70, webhook },
        setOn: '2025-06-01',
      },
      alertRulesDecider.initialState,
    );
    expect(event.data.rule).toEqual({ attainmentBelowPercent: 70, webhook });
    expect(() =>
      alertRulesDecider.decide(
        {
          type: 'SetAlertRule',
          subject: { kind: 'agent', id: 'A-LM-04' },
          rule: { attainmentBelowPercent: 70 },
          setOn: '2025-06-01',
        },
        alertRulesDecider.initialState,
      ),
    ).toThrow(/agent alert rule has developmentPercent, retentionPercent/);
  });
});
