import { roundToHundredths } from './ratio.js';
import {
  type LocalDate,
  type Scheme,
  type SchemeScope,
  addDays,
  daysBetween,
  membersOf,
  yearOf,
} from '#domain';
import { type Ratio, ratio } from './ratio.js';

/** One target of a plan and the date it took effect. */
export type PlanTarget = {
  effectiveFrom: LocalDate;
  target: number;
  position: number;
  reason: string;
};

export type PlanHistory = {
  planId: string;
  metric: string;
  startDate: LocalDate;
  endDate: LocalDate;
  originalTarget: number;
  /** Every target, the assignment included, in the order they were recorded. */
  targets: PlanTarget[];
};

export type Denominator = { year: number; kind: string; value: number; source: string };

export type AttainmentInputs = {
  unitId: string;
  scheme: SchemeScope;
  date: LocalDate;
  /** N(unit and everything below it, scheme, day) for the days `datesNeeded` asks for. */
  participantsOn: (day: LocalDate) => number;
  participantsPlan: PlanHistory | null;
  coveragePlan: PlanHistory | null;
  denominator: Denominator | null;
};

export type PlanInForce = {
  planId: string;
  target: number;
  originalTarget: number;
  /** From when the target in force applies. */
  effectiveFrom: LocalDate;
  revised: boolean;
  endDate: LocalDate;
};

/** participants − participants then; `percent` of the figure then, null when it was 0. */
export type Change = {
  since: LocalDate;
  participantsThen: number;
  change: number;
  percent: number | null;
};

export type AttainmentFigures = {
  unitId: string;
  scheme: SchemeScope;
  /** The schemes whose participants are added up: the scheme itself, or a group's members. */
  members: readonly Scheme[];
  date: LocalDate;
  participants: number;
  plan: PlanInForce | null;
  /** Against the plan in force on the date. */
  attainment: Ratio | null;
  /** Against the plan as first assigned. */
  originalAttainment: Ratio | null;
  changeSinceDecember: Change;
  changeYearOnYear: Change;
  /** Against the last day of the previous month, as the monthly reports put it. */
  changeSincePreviousMonth: Change;
  coverage: (Ratio & { base: string; year: number; source: string }) | null;
  /** Coverage against a coverage-rate plan (its target in basis points). */
  coverageAttainment: (Ratio & { targetPercent: number }) | null;
  remainingToPlan: number | null;
  runRate: {
    daysLeft: number | null;
    /** Participants a day needed to reach the plan by its end date. */
    requiredPerDay: number | null;
    last7DaysPerDay: number;
    last30DaysPerDay: number;
  };
};

/** The days whose counts the figures for `date` need. */
export function datesNeeded(date: LocalDate): LocalDate[] {
  return [
    date,
    decemberBefore(date),
    yearBefore(date),
    previousMonthEnd(date),
    addDays(date, -7),
    addDays(date, -30),
  ];
}

/** The last day of the month before the date's. */
export function previousMonthEnd(date: LocalDate): LocalDate {
  return addDays(`${date.slice(0, 7)}-01`, -1);
}

export function decemberBefore(date: LocalDate): LocalDate {
  return `${yearOf(date) - 1}-12-31`;
}

/** The same day a year earlier (28 February for 29 February). */
export function yearBefore(date: LocalDate): LocalDate {
  const [year, month, day] = date.split('-');
  const earlier = `${Number(year) - 1}-${month}-${day}`;
  return month === '02' && day === '29' ? `${Number(year) - 1}-02-28` : earlier;
}

/** The target in force on `date`: the latest effective on or before it, else the original. */
export function planInForce(plan: PlanHistory, date: LocalDate): PlanInForce {
  const effective = plan.targets
    .filter(({ effectiveFrom }) => effectiveFrom <= date)
    .sort((a, b) =>
      a.effectiveFrom === b.effectiveFrom
        ? a.position - b.position
        : a.effectiveFrom < b.effectiveFrom
          ? -1
          : 1,
    )
    .at(-1);
  const target = effective ?? plan.targets[0];
  return {
    planId: plan.planId,
    target: target?.target ?? plan.originalTarget,
    originalTarget: plan.originalTarget,
    effectiveFrom: target?.effectiveFrom ?? plan.startDate,
    revised: plan.targets.length > 1 && target !== plan.targets[0],
    endDate: plan.endDate,
  };
}

export function attainmentFigures(inputs: AttainmentInputs): AttainmentFigures {
  const { unitId, scheme, date, participantsOn, participantsPlan, coveragePlan, denominator } =
    inputs;
  const participants = participantsOn(date);
  const plan = participantsPlan ? planInForce(participantsPlan, date) : null;
  const december = decemberBefore(date);
  const yearAgo = yearBefore(date);
  const monthEnd = previousMonthEnd(date);
  const remaining = plan ? Math.max(0, plan.target - participants) : null;
  const daysLeft = plan ? Math.max(0, daysBetween(date, plan.endDate)) : null;
  const coverage = denominator ? ratio(participants, denominator.value) : null;
  const coverageTarget = coveragePlan ? planInForce(coveragePlan, date).target : null;
  return {
    unitId,
    scheme,
    members: membersOf(scheme),
    date,
    participants,
    plan,
    attainment: plan ? ratio(participants, plan.target) : null,
    originalAttainment: plan ? ratio(participants, plan.originalTarget) : null,
    changeSinceDecember: change(december, participants, participantsOn(december)),
    changeYearOnYear: change(yearAgo, participants, participantsOn(yearAgo)),
    changeSincePreviousMonth: change(monthEnd, participants, participantsOn(monthEnd)),
    coverage:
      coverage && denominator
        ? {
            ...coverage,
            base: denominator.kind,
            year: denominator.year,
            source: denominator.source,
          }
        : null,
    coverageAttainment:
      denominator && coverageTarget
        ? {
            ...(ratio(participants * 10_000, denominator.value * coverageTarget) as Ratio),
            targetPercent: coverageTarget / 100,
          }
        : null,
    remainingToPlan: remaining,
    runRate: {
      daysLeft,
      requiredPerDay:
        remaining === null || !daysLeft ? null : roundToHundredths(remaining / daysLeft),
      last7DaysPerDay: roundToHundredths((participants - participantsOn(addDays(date, -7))) / 7),
      last30DaysPerDay: roundToHundredths((participants - participantsOn(addDays(date, -30))) / 30),
    },
  };
}

function change(since: LocalDate, now: number, then: number): Change {
  return {
    since,
    participantsThen: then,
    change: now - then,
    percent: ratio(now - then, then)?.percent ?? null,
  };
}
