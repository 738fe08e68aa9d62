import { type LocalDate } from '../shared/local-date.js';
import {
  type AlertCondition,
  type AlertFigures,
  type AlertSubject,
  type CampaignAlertRule,
  type MilestoneAlertRule,
} from './alerts.events.js';

/** A milestone's figures as the compliance read model gives them on a date. */
export type MilestoneStanding = {
  milestoneId: string;
  deadline: LocalDate;
  asOf: LocalDate;
  daysRemaining: number;
  required: number;
  pending: number;
  /** Units still pending at the end of the deadline. */
  pendingAtDeadline: number;
  projectedCompletionOn: LocalDate | null;
  /** The projection falls after the deadline; null when there is no rate to project from. */
  projectedAfterDeadline: boolean | null;
};

/** A campaign's objectives against their should-be line on a date. */
export type CampaignStanding = {
  campaignId: string;
  startDate: LocalDate;
  lastDay: LocalDate;
  asOf: LocalDate;
  objectives: { objectiveId: string; target: number; achieved: number; shouldBe: number }[];
};

/** The number of days ahead a renewal counts as due: the period the anchors use. */
export const RENEWAL_ALERT_DAYS = 14;

/** An agent's renewal worklist on a date: participants due within the days, and lapsed. */
export type RenewalStanding = {
  agentId: string;
  asOf: LocalDate;
  /** The last paid-until day that counts as due. */
  dueBy: LocalDate;
  due: number;
  lapsed: number;
};

/** Whether one condition holds for one subject and period, with the figures that say so. */
export type Observation = {
  alertId: string;
  condition: AlertCondition;
  subject: AlertSubject;
  period: string;
  holds: boolean;
  figures: AlertFigures;
};

/** One id per condition, subject (and objective) and period: the alert's stream. */
export const alertStream = (alertId: string) => `alert-${alertId}`;

function observation(
  condition: AlertCondition,
  subject: AlertSubject,
  period: string,
  holds: boolean,
  figures: AlertFigures,
  part?: string,
): Observation {
  const alertId = [condition, subject.id, part, period].filter(Boolean).join('.');
  return { alertId, condition, subject, period, holds, figures };
}

/**
 * At risk: before the deadline, units are pending and either the projection passes the deadline
 * or no more than `atRiskDaysLeft` days remain. Missed: units were pending when the deadline
 * ended; later fulfilments do not undo that.
 */
export function milestoneObservations(
  rule: MilestoneAlertRule,
  standing: MilestoneStanding,
): Observation[] {
  const subject: AlertSubject = { kind: 'milestone', id: standing.milestoneId };
  const { deadline, asOf, daysRemaining, required, pending } = standing;
  const beforeDeadlineEnds = asOf <= deadline;
  const atRisk =
    beforeDeadlineEnds &&
    pending > 0 &&
    (standing.projectedAfterDeadline === true || daysRemaining <= rule.atRiskDaysLeft);
  const missed = !beforeDeadlineEnds && standing.pendingAtDeadline > 0;
  return [
    observation('milestone-at-risk', subject, deadline, atRisk, {
      asOf,
      deadline,
      daysRemaining,
      required,
      pending,
      projectedCompletionOn: standing.projectedCompletionOn,
      atRiskDaysLeft: rule.atRiskDaysLeft,
    }),
    observation('milestone-missed', subject, deadline, missed, {
      asOf,
      deadline,
      required,
      pendingAtDeadline: standing.pendingAtDeadline,
    }),
  ];
}

/**
 * Per objective: behind when the shortfall from the should-be line is more than
 * `behindLinePercent` of the line (compared in integers); met once achieved reaches the target.
 */
export function campaignObservations(
  rule: CampaignAlertRule,
  standing: CampaignStanding,
): Observation[] {
  const subject: AlertSubject = { kind: 'campaign', id: standing.campaignId };
  const period = `${standing.startDate}..${standing.lastDay}`;
  const { asOf } = standing;
  return standing.objectives.flatMap(({ objectiveId, target, achieved, shouldBe }) => {
    const shortfall = shouldBe - achieved;
    const behind = shouldBe > 0 && shortfall * 100 > rule.behindLinePercent * shouldBe;
    const met = target > 0 && achieved >= target;
    return [
      observation(
        'campaign-behind-line',
        subject,
        period,
        behind,
        {
          asOf,
          objectiveId,
          target,
          achieved,
          shouldBe,
          behindLinePercent: rule.behindLinePercent,
        },
        objectiveId,
      ),
      observation(
        'campaign-objective-met',
        subject,
        period,
        met,
        { asOf, objectiveId, target, achieved },
        objectiveId,
      ),
    ];
  });
}

/**
 * A daily worklist reminder per agent: raised once on each day its list holds anyone due
 * within `RENEWAL_ALERT_DAYS` or lapsed. The period is the day, so each day's reminder is a
 * notice of its own; the watch never looks at a past day's again, so it is never cleared.
 */
export function renewalObservations(standing: RenewalStanding): Observation[] {
  const { agentId, asOf, dueBy, due, lapsed } = standing;
  return [
    observation('renewals-due', { kind: 'agent', id: agentId }, asOf, due + lapsed > 0, {
      asOf,
      dueBy,
      within: RENEWAL_ALERT_DAYS,
      due,
      lapsed,
    }),
  ];
}
