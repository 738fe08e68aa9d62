/** "Will we make it?": a scheme's standing against its plan, from the figures the API gives. */
export type Change = { change: number; participantsThen: number; percent: number | null };

export type SchemeFigures = {
  scheme: string;
  /** The schemes added up: the scheme itself, or the members of a group. */
  members?: string[];
  date: string;
  participants: number;
  plan: { target: number; endDate: string } | null;
  attainment: { percent: number } | null;
  changeSinceDecember: Change;
  changeYearOnYear: Change;
  changeSincePreviousMonth: Change;
  coverage: { percent: number; year: number } | null;
  coverageAttainment: { percent: number; targetPercent: number } | null;
  remainingToPlan: number | null;
  runRate: { daysLeft: number | null; requiredPerDay: number | null; last30DaysPerDay: number };
};

export type Status = 'reached' | 'onTrack' | 'atRisk' | 'offTrack' | 'noPlan';

/** Below the plan by no more than this share at year end counts as at risk, not off track. */
export const AT_RISK_SHARE = 0.05;

/** Participants at the plan's end date if the last 30 days' pace holds; null without a plan. */
export function yearEndForecast(figures: SchemeFigures): number | null {
  const { plan, runRate } = figures;
  if (!plan || runRate.daysLeft === null) return null;
  return Math.round(figures.participants + runRate.last30DaysPerDay * runRate.daysLeft);
}

/**
 * Reached once the target is met; on track when the forecast meets it; at risk when it falls
 * short by at most AT_RISK_SHARE; off track beyond. Without a participants plan, a coverage
 * target is judged on the rate reached so far, as the API gives no pace for it.
 */
export function statusOf(figures: SchemeFigures): Status {
  const forecast = yearEndForecast(figures);
  if (figures.plan && forecast !== null) {
    const target = figures.plan.target;
    if (figures.participants >= target) return 'reached';
    return standing(forecast / target);
  }
  if (figures.coverageAttainment) {
    const { percent } = figures.coverageAttainment;
    return percent >= 100 ? 'reached' : standing(percent / 100);
  }
  return 'noPlan';
}

function standing(share: number): Status {
  if (share >= 1) return 'onTrack';
  return share >= 1 - AT_RISK_SHARE ? 'atRisk' : 'offTrack';
}

/** A change against a base that did not exist (no figure then) says nothing: null, shown "—". */
export function comparable(change: { change: number; participantsThen: number }): number | null {
  return change.participantsThen === 0 ? null : change.change;
}

/** The scheme groups the API reads (GET /schemes/groups), in the order the page shows them. */
export const SCHEME_GROUPS = ['social-insurance', 'all-schemes'] as const;

/** A scheme worth a card or a column: it has figures, a plan or a coverage target. */
export const hasFigures = (figures: SchemeFigures) =>
  figures.participants > 0 || figures.plan !== null || figures.coverageAttainment !== null;

/**
 * The schemes shown, then the groups worth showing: a group with its own plan or coverage
 * target, or one that adds up at least two members with figures (a group with one member
 * shown would repeat that member's figures).
 */
export function shownFigures(schemes: SchemeFigures[], groups: SchemeFigures[]): SchemeFigures[] {
  const shown = schemes.filter(hasFigures);
  const withFigures = new Set(shown.map(({ scheme }) => scheme));
  return [
    ...shown,
    ...groups.filter(
      (group) =>
        group.plan !== null ||
        group.coverageAttainment !== null ||
        (group.members ?? []).filter((member) => withFigures.has(member)).length >= 2,
    ),
  ];
}
