import { roundToHundredths } from '../attainment/ratio.js';
import {
  type CampaignMetric,
  type CampaignObjective,
  type LocalDate,
  type Scheme,
  RATIO_METRICS,
  type SchemeScope,
  addDays,
  daysBetween,
  membersOf,
} from '#domain';
import { type Ratio, ratio } from '../attainment/ratio.js';
import { type CampaignStatus } from '../campaigns/campaigns.projection.js';

export type CampaignRow = {
  campaignId: string;
  name: string;
  status: CampaignStatus;
  startDate: LocalDate;
  /** The end date as launched. */
  plannedEndDate: LocalDate;
  /** The end date with every extension. */
  endDate: LocalDate;
  closedOn: LocalDate | null;
  cancelledOn: LocalDate | null;
  scopeUnitIds: string[];
  objectives: CampaignObjective[];
};

export type CampaignWindow = {
  startDate: LocalDate;
  endDate: LocalDate;
  plannedEndDate: LocalDate;
  /** The last day counted: the end date, or the day it was closed early or cancelled. */
  lastDay: LocalDate;
  /** Days from the start to the end date: the span of the "should-be" line. */
  totalDays: number;
  /** Days from the start to the last day counted (0 when cancelled before it started). */
  countedDays: number;
};

/**
 * A campaign counts from its start to its end date, or to the day it was closed early or
 * cancelled. The "should-be" line keeps the span of the end date: a campaign closed on its
 * 15th of 20 days should have reached 75% of its target by then, not 100%.
 */
export function campaignWindow(campaign: CampaignRow): CampaignWindow {
  const { startDate, endDate, plannedEndDate, closedOn, cancelledOn } = campaign;
  const stoppedOn = closedOn ?? cancelledOn;
  const lastDay = stoppedOn !== null && stoppedOn < endDate ? stoppedOn : endDate;
  return {
    startDate,
    endDate,
    plannedEndDate,
    lastDay,
    totalDays: daysBetween(startDate, endDate) + 1,
    countedDays: Math.max(0, daysBetween(startDate, lastDay) + 1),
  };
}

/** The last day whose facts count as of `asOf` (earlier than the start when none does). */
export function countedThrough(window: CampaignWindow, asOf: LocalDate): LocalDate {
  return asOf < window.lastDay ? asOf : window.lastDay;
}

/** What an objective's metric moved by on one day; `parts` are what the value is made of. */
export type DailyValue = { day: LocalDate; value: number; parts: Record<string, number> };

export type SeriesPoint = {
  date: LocalDate;
  /** 1 on the first day of the campaign. */
  day: number;
  /** What the day added. */
  value: number;
  /** Achieved from the start to the end of this day. */
  achieved: number;
  /** target × day / totalDays, rounded to a whole unit. */
  shouldBe: number;
};

export type ObjectiveProgress = {
  objectiveId: string;
  scheme: SchemeScope | null;
  metric: CampaignMetric;
  target: number;
  achieved: number;
  /** participants: gains, stops, resumptions; contributions: collections; debt: payments. */
  breakdown: Record<string, number>;
  attainment: Ratio | null;
  remaining: number;
  /** Where the straight line from 0 to the target stands after the days elapsed. */
  shouldBe: number;
  /** achieved − shouldBe: ahead of the line when positive. */
  aheadOfLine: number;
  actualPerDay: number | null;
  /** What each remaining day must bring to reach the target; null when no day remains. */
  requiredPerDay: number | null;
  series: SeriesPoint[];
};

export type CampaignProgressFigures = {
  asOf: LocalDate;
  window: CampaignWindow;
  daysElapsed: number;
  daysRemaining: number;
  objectives: ObjectiveProgress[];
};

/** target × day / totalDays rounded, exact for any safe integer target. */
export function shouldBeOn(target: number, day: number, totalDays: number): number {
  const whole = Math.floor(target / totalDays);
  return whole * day + Math.round(((target % totalDays) * day) / totalDays);
}

export function campaignProgressFigures(
  campaign: CampaignRow,
  asOf: LocalDate,
  dailyValues: (objective: CampaignObjective) => DailyValue[],
): CampaignProgressFigures {
  const window = campaignWindow(campaign);
  const daysElapsed =
    asOf < window.startDate
      ? 0
      : Math.min(daysBetween(window.startDate, asOf) + 1, window.countedDays);
  const daysRemaining = window.countedDays - daysElapsed;
  // Ratio objectives have a progress of their own (ratio-objectives.ts).
  const counts = campaign.objectives.filter(({ metric }) => !RATIO_METRICS.includes(metric));
  const objectives = counts.map((objective): ObjectiveProgress => {
    const values = new Map(dailyValues(objective).map((value) => [value.day, value]));
    const breakdown: Record<string, number> = {};
    const series: SeriesPoint[] = [];
    let achieved = 0;
    for (let day = 1; day <= daysElapsed; day++) {
      const date = addDays(window.startDate, day - 1);
      const value = values.get(date);
      achieved += value?.value ?? 0;
      for (const [part, amount] of Object.entries(value?.parts ?? {})) {
        breakdown[part] = (breakdown[part] ?? 0) + amount;
      }
      series.push({
        date,
        day,
        value: value?.value ?? 0,
        achieved,
        shouldBe: shouldBeOn(objective.target, day, window.totalDays),
      });
    }
    const remaining = Math.max(0, objective.target - achieved);
    const shouldBe = shouldBeOn(objective.target, daysElapsed, window.totalDays);
    return {
      objectiveId: objective.objectiveId,
      scheme: objective.scheme,
      metric: objective.metric,
      target: objective.target,
      achieved,
      breakdown,
      attainment: ratio(achieved, objective.target),
      remaining,
      shouldBe,
      aheadOfLine: achieved - shouldBe,
      actualPerDay: daysElapsed > 0 ? roundToHundredths(achieved / daysElapsed) : null,
      requiredPerDay:
        remaining === 0 ? 0 : daysRemaining > 0 ? Math.ceil(remaining / daysRemaining) : null,
      series,
    };
  });
  return { asOf, window, daysElapsed, daysRemaining, objectives };
}

/** The schemes a campaign develops or collects for: what its leaderboards count. */
export function campaignSchemes(campaign: CampaignRow): Scheme[] {
  const schemes = campaign.objectives
    .filter(({ metric }) => metric === 'participants' || metric === 'contributions')
    .flatMap(({ scheme }) => (scheme === null ? [] : membersOf(scheme)));
  return [...new Set(schemes)];
}
