import { type Ratio, ratio } from '../attainment/ratio.js';

/**
 * Whom the province singles out each month: those below either share. Development is the
 * month's new participants against a twelfth of the yearly allocated target; retention is
 * the share of the participants due to renew in the month who paid by their paid-until date.
 */
export const UNDER_PERFORMANCE = { developmentPercent: 80, retentionPercent: 80 } as const;

export type Shortfall = 'development' | 'retention';

/** What was credited to an organization or agent over a period. */
export type Activity = {
  newParticipants: number;
  stops: number;
  resumptions: number;
  contributions: number;
  /** Whole VND. */
  collected: number;
};

export const IDLE: Activity = {
  newParticipants: 0,
  stops: 0,
  resumptions: 0,
  contributions: 0,
  collected: 0,
};

/** Participants whose coverage ran out in a period (not stopped before), and who paid by then. */
export type Renewals = { due: number; onTime: number };

export const NONE_DUE: Renewals = { due: 0, onTime: 0 };

export type YearlyTargets = {
  /** Participants to develop in the year, from plans counting participants. */
  participants: number | null;
  /** VND to collect in the year, from plans counting contributions. */
  contributions: number | null;
};

export type PerformanceInputs = {
  id: string;
  name: string | null;
  month: Activity & Renewals;
  yearToDate: Activity & Renewals;
  targets: YearlyTargets;
};

export type PeriodFigures = Activity & {
  /** New participants + resumptions − stops. */
  net: number;
  retention: Renewals & { ratio: Ratio | null };
};

export type AgainstTarget = {
  yearlyTarget: number;
  /** A twelfth of the yearly target, rounded to two decimals for display. */
  monthTarget: number;
  /** The month's figure against a twelfth of the yearly target, kept exact as (figure × 12) / yearly target. */
  monthAttainment: Ratio;
  /** The year's figure to the end of the month against the yearly target. */
  yearToDateAttainment: Ratio;
};

export type PerformanceFigures = {
  id: string;
  name: string | null;
  month: PeriodFigures;
  yearToDate: PeriodFigures;
  /** New participants against the allocated participants target, or null without one. */
  development: AgainstTarget | null;
  /** VND collected against the allocated contributions target, or null without one. */
  collection: AgainstTarget | null;
  underPerforming: boolean;
  shortfalls: Shortfall[];
};

export type RankedPerformance = PerformanceFigures & { rank: number };

function periodFigures(figures: Activity & Renewals): PeriodFigures {
  const { due, onTime, ...activity } = figures;
  return {
    ...activity,
    net: activity.newParticipants + activity.resumptions - activity.stops,
    retention: { due, onTime, ratio: ratio(onTime, due) },
  };
}

function againstTarget(
  yearlyTarget: number | null,
  month: number,
  yearToDate: number,
): AgainstTarget | null {
  if (!yearlyTarget || yearlyTarget <= 0) return null;
  return {
    yearlyTarget,
    monthTarget: Math.round((yearlyTarget * 100) / 12) / 100,
    monthAttainment: ratio(month * 12, yearlyTarget)!,
    yearToDateAttainment: ratio(yearToDate, yearlyTarget)!,
  };
}

export function performanceFigures(inputs: PerformanceInputs): PerformanceFigures {
  const { id, name, month, yearToDate, targets } = inputs;
  const development = againstTarget(
    targets.participants,
    month.newParticipants,
    yearToDate.newParticipants,
  );
  const shortfalls: Shortfall[] = [];
  // Compared in integers: new × 12 × 100 < threshold × yearly target.
  if (
    development &&
    month.newParticipants * 12 * 100 <
      UNDER_PERFORMANCE.developmentPercent * development.yearlyTarget
  ) {
    shortfalls.push('development');
  }
  if (month.due > 0 && month.onTime * 100 < UNDER_PERFORMANCE.retentionPercent * month.due) {
    shortfalls.push('retention');
  }
  return {
    id,
    name,
    month: periodFigures(month),
    yearToDate: periodFigures(yearToDate),
    development,
    collection: againstTarget(targets.contributions, month.collected, yearToDate.collected),
    underPerforming: shortfalls.length > 0,
    shortfalls,
  };
}

/**
 * Best first: by the month's development attainment (those without a target after those
 * with one), then new participants, then VND collected, then id. Compared as integers.
 */
export function compareForRank(a: PerformanceFigures, b: PerformanceFigures): number {
  const [x, y] = [a.development?.monthAttainment, b.development?.monthAttainment];
  if (x && !y) return -1;
  if (y && !x) return 1;
  if (x && y) {
    const difference = y.numerator * x.denominator - x.numerator * y.denominator;
    if (difference !== 0) return difference;
  }
  return (
    b.month.newParticipants - a.month.newParticipants ||
    b.month.collected - a.month.collected ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function rankPerformance(figures: PerformanceFigures[]): RankedPerformance[] {
  return [...figures].sort(compareForRank).map((item, index) => ({ ...item, rank: index + 1 }));
}
