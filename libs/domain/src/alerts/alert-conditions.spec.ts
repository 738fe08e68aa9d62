import { describe, expect, it } from '@jest/globals';
import {
  type CampaignStanding,
  type MilestoneStanding,
  campaignObservations,
  milestoneObservations,
  renewalObservations,
} from './alert-conditions.js';
import {
  DEFAULT_CAMPAIGN_ALERT_RULE,
  DEFAULT_MILESTONE_ALERT_RULE,
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
      campaignHolding(campaign(27_000, 30_000), { behindLinePercent: 5 })['campaign-behind-line'],
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
