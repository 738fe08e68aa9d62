import {
  type CampaignObjective,
  type LocalDate,
  type Month,
  type ObjectiveDirection,
  type RatioMeasure,
  addDays,
  addMonths,
} from '#domain';
import { type Ratio, ratio, roundToHundredths } from '../attainment/ratio.js';
import { type CampaignWindow, countedThrough } from './campaign-progress-figures.js';

/** What employers of the scope owed for one contribution period, as last restated. */
export type PeriodArrears = { period: Month; amountDue: number; amountOverdue: number };

export type RatioPoint = {
  date: LocalDate;
  /** 1 on the first day of the campaign. */
  day: number;
  /** The ratio as measured through this day. */
  ratio: Ratio | null;
  /** Basis points on the straight line from the baseline to the target; null without one. */
  shouldBe: number | null;
};

export type RatioObjectiveProgress = {
  objectiveId: string;
  scheme: null;
  metric: CampaignObjective['metric'];
  /** Basis points: 140 = 1.40%. */
  target: number;
  targetPercent: number;
  direction: ObjectiveDirection;
  measuredOver: RatioMeasure;
  /** The contribution periods measured so far. */
  periods: Month[];
  /** overdue / amount due over those periods; null while nothing was due. */
  achieved: Ratio | null;
  /** On the right side of the target (at or under a ceiling, at or over a floor). */
  met: boolean | null;
  /** Percentage points on the right side of the target (negative: on the wrong side). */
  marginPoints: number | null;
  /** The period before the window: where the straight line starts. */
  baseline: { period: Month; ratio: Ratio | null };
  /** Where the line stands after the days elapsed (basis points); null without a line. */
  shouldBe: number | null;
  series: RatioPoint[];
};

export const monthOf = (date: LocalDate): Month => date.slice(0, 7);

/** Every month from `from`'s to `to`'s, both included. */
export function monthsBetween(from: LocalDate, to: LocalDate): Month[] {
  const months: Month[] = [];
  for (let month = monthOf(from); month <= monthOf(to); month = addMonths(month, 1)) {
    months.push(month);
  }
  return months;
}

/** The periods a ratio objective reads: every month of the window and the one before it. */
export function periodsRead(window: CampaignWindow): Month[] {
  return [
    addMonths(monthOf(window.startDate), -1),
    ...monthsBetween(window.startDate, window.lastDay),
  ];
}

/** What a ratio measured through `date` counts: the window's months so far, or the last. */
function periodsThrough(measure: RatioMeasure, window: CampaignWindow, date: LocalDate): Month[] {
  return measure === 'window' ? monthsBetween(window.startDate, date) : [monthOf(date)];
}

function overdueShare(
  periods: Month[],
  arrears: (period: Month) => PeriodArrears | undefined,
): { due: number; overdue: number; ratio: Ratio | null } {
  let due = 0;
  let overdue = 0;
  for (const period of periods) {
    due += arrears(period)?.amountDue ?? 0;
    overdue += arrears(period)?.amountOverdue ?? 0;
  }
  return { due, overdue, ratio: ratio(overdue, due) };
}

/** Basis points, rounded: the ratio's own integers, never its rounded percent. */
const basisPoints = (share: Ratio) => Math.round((share.numerator * 10_000) / share.denominator);

/**
 * A ratio objective as of a date. Measured as of the window's end, it has a straight line
 * from the ratio before the window to the target at the end date, like a count's should-be
 * line; measured over the whole window, the target applies to the sum, and no line would mean
 * anything day by day.
 */
export function ratioObjectiveProgress(
  objective: CampaignObjective,
  window: CampaignWindow,
  asOf: LocalDate,
  daysElapsed: number,
  arrears: (period: Month) => PeriodArrears | undefined,
): RatioObjectiveProgress {
  const direction = objective.direction ?? 'at-most';
  const measuredOver = objective.measuredOver ?? 'window-end';
  const { target } = objective;
  const baselinePeriod = addMonths(monthOf(window.startDate), -1);
  const baseline = overdueShare([baselinePeriod], arrears).ratio;
  const line = (day: number): number | null => {
    if (measuredOver !== 'window-end' || baseline === null) return null;
    const from = basisPoints(baseline);
    return Math.round(from + ((target - from) * day) / window.totalDays);
  };
  const series: RatioPoint[] = [];
  for (let day = 1; day <= daysElapsed; day++) {
    const date = addDays(window.startDate, day - 1);
    const share = overdueShare(periodsThrough(measuredOver, window, date), arrears);
    series.push({ date, day, ratio: share.ratio, shouldBe: line(day) });
  }
  const periods =
    daysElapsed === 0 ? [] : periodsThrough(measuredOver, window, countedThrough(window, asOf));
  const { due, overdue, ratio: achieved } = overdueShare(periods, arrears);
  // Compared in integers: overdue / due against target / 10,000.
  const onRightSide =
    direction === 'at-most' ? overdue * 10_000 <= target * due : overdue * 10_000 >= target * due;
  const margin = achieved === null ? null : target / 100 - (overdue * 100) / due;
  return {
    objectiveId: objective.objectiveId,
    scheme: null,
    metric: objective.metric,
    target,
    targetPercent: target / 100,
    direction,
    measuredOver,
    periods,
    achieved,
    met: achieved === null ? null : onRightSide,
    marginPoints:
      margin === null ? null : roundToHundredths(direction === 'at-most' ? margin : -margin),
    baseline: { period: baselinePeriod, ratio: baseline },
    shouldBe: daysElapsed === 0 ? null : line(daysElapsed),
    series,
  };
}
