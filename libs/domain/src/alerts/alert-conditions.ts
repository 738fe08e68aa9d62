import { type LocalDate, type Month, addMonths } from '../shared/local-date.js';
import {
  type AlertCondition,
  type AlertFigures,
  type AlertSubject,
  type CampaignAlertRule,
  type MilestoneAlertRule,
  type PerformanceAlertRule,
  type UnitAlertRule,
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

/** Behind its line by more than the percentage of it, compared in integers. */
const isBehind = (
  { achieved, shouldBe }: { achieved: number; shouldBe: number },
  behindLinePercent: number,
) => shouldBe > 0 && (shouldBe - achieved) * 100 > behindLinePercent * shouldBe;

/**
 * Per objective: behind when the shortfall from the should-be line is more than
 * `behindLinePercent` of the line (compared in integers) today and on each of the
 * `behindForDays − 1` days before (`earlier`, the standings of those days, latest first; a
 * day before the campaign started is never behind); met once achieved reaches the target.
 */
export function campaignObservations(
  rule: CampaignAlertRule,
  standing: CampaignStanding,
  earlier: readonly CampaignStanding[] = [],
): Observation[] {
  const subject: AlertSubject = { kind: 'campaign', id: standing.campaignId };
  const period = `${standing.startDate}..${standing.lastDay}`;
  const { asOf } = standing;
  const days = rule.behindForDays;
  const previous = earlier.slice(0, days - 1);
  return standing.objectives.flatMap(({ objectiveId, target, achieved, shouldBe }) => {
    const behindEarlier = previous.filter((day) => {
      const then = day.objectives.find((objective) => objective.objectiveId === objectiveId);
      return (
        day.asOf >= day.startDate && then !== undefined && isBehind(then, rule.behindLinePercent)
      );
    });
    const behind =
      isBehind({ achieved, shouldBe }, rule.behindLinePercent) && behindEarlier.length === days - 1;
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
          behindForDays: days,
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

/**
 * The day of a month from which the month before is judged (`under-performing`,
 * `attainment-below-plan`): reports of a month's last days arrive over the first days of the
 * next, and a month judged at 00:00 on the 1st would be raised, then cleared as they came in.
 */
export const MONTH_SETTLES_ON_DAY = 3;

/**
 * The month the watch judges on a day: last month from its settle day on, the month before
 * until then. Each month is judged for one month, from the 3rd after it ends to the 2nd of the
 * month after that.
 */
export function judgedMonth(today: LocalDate, settlesOnDay = MONTH_SETTLES_ON_DAY): Month {
  const day = Number(today.slice(8, 10));
  return addMonths(today.slice(0, 7), day < settlesOnDay ? -2 : -1);
}

/** An organization's or agent's month as the performance read gives it. */
export type PerformanceStanding = {
  kind: 'organization' | 'agent';
  id: string;
  month: Month;
  newParticipants: number;
  /** The yearly participants target allocated to it; null without one. */
  yearlyTarget: number | null;
  renewalsDue: number;
  renewedOnTime: number;
};

/**
 * Under-performing in a month: new participants below `developmentPercent` of a twelfth of
 * the yearly target (× 12 × 100 < percent × target, in integers), or renewals paid on time
 * below `retentionPercent` of those due. Judged for a month that has ended.
 */
export function performanceObservations(
  rule: PerformanceAlertRule,
  standing: PerformanceStanding,
  asOf: LocalDate,
): Observation[] {
  const { kind, id, month, newParticipants, yearlyTarget, renewalsDue, renewedOnTime } = standing;
  const development =
    yearlyTarget !== null &&
    yearlyTarget > 0 &&
    newParticipants * 12 * 100 < rule.developmentPercent * yearlyTarget;
  const retention = renewalsDue > 0 && renewedOnTime * 100 < rule.retentionPercent * renewalsDue;
  // The kind is part of the id: an organization and an agent may have the same code.
  return [
    observation(
      'under-performing',
      { kind, id },
      month,
      development || retention,
      {
        asOf,
        month,
        newParticipants,
        yearlyTarget,
        renewalsDue,
        renewedOnTime,
        developmentPercent: rule.developmentPercent,
        retentionPercent: rule.retentionPercent,
        shortfalls: [development && 'development', retention && 'retention']
          .filter(Boolean)
          .join(','),
      },
      kind,
    ),
  ];
}

/** A unit's participants at the end of a month against its participants plan in force then. */
export type UnitPlanStanding = {
  unitId: string;
  scheme: string;
  month: Month;
  monthEnd: LocalDate;
  participants: number;
  planTarget: number;
};

/**
 * Below plan at month-end: participants on the month's last day below
 * `attainmentBelowPercent` of the plan's target in force (in integers). One alert per unit,
 * scheme and month.
 */
export function unitPlanObservations(
  rule: UnitAlertRule,
  standing: UnitPlanStanding,
  asOf: LocalDate,
): Observation[] {
  const { unitId, scheme, month, monthEnd, participants, planTarget } = standing;
  const below = planTarget > 0 && participants * 100 < rule.attainmentBelowPercent * planTarget;
  return [
    observation(
      'attainment-below-plan',
      { kind: 'unit', id: unitId },
      month,
      below,
      {
        asOf,
        month,
        monthEnd,
        scheme,
        participants,
        planTarget,
        attainmentBelowPercent: rule.attainmentBelowPercent,
      },
      scheme,
    ),
  ];
}
