import { type LocalDate, type MilestoneCriterion, addDays, daysBetween } from '#domain';
import { type Ratio, ratio } from '../attainment/ratio.js';

export type MilestoneRow = {
  milestoneId: string;
  name: string;
  requirement: string;
  deadline: LocalDate;
  scopeUnitId: string;
  criterion: MilestoneCriterion;
  setOn: LocalDate;
};

/** The units the criterion picks on a date, and their outcomes recorded by then. */
export type OutcomeCounts = {
  eligible: number;
  waived: number;
  onTime: number;
  late: number;
  /** The latest fulfilment among them, if any. */
  lastFulfilledOn: LocalDate | null;
};

export type Standing = {
  date: LocalDate;
  /** Units the criterion picks on the date: level, and a collection point open that day. */
  eligible: number;
  /** Excused: they no longer count as required. */
  waived: number;
  /** eligible − waived. */
  required: number;
  fulfilled: number;
  onTime: number;
  late: number;
  pending: number;
  /** fulfilled / required. */
  compliance: Ratio | null;
  /** fulfilled on time / required. */
  onTimeCompliance: Ratio | null;
};

export function standingOn(date: LocalDate, counts: OutcomeCounts): Standing {
  const { eligible, waived, onTime, late } = counts;
  const required = eligible - waived;
  const fulfilled = onTime + late;
  return {
    date,
    eligible,
    waived,
    required,
    fulfilled,
    onTime,
    late,
    pending: required - fulfilled,
    compliance: ratio(fulfilled, required),
    onTimeCompliance: ratio(onTime, required),
  };
}

export type CompletionProjection = {
  /** Every required unit has fulfilled (or been excused). */
  complete: boolean;
  daysSinceSet: number;
  /** Fulfilments so far per day since the milestone was set, rounded for display. */
  fulfilmentsPerDay: number | null;
  /**
   * When the pending units will have fulfilled at the rate so far (the last fulfilment once
   * complete); null when nothing has been fulfilled to take a rate from.
   */
  projectedCompletionOn: LocalDate | null;
  /** The projected (or actual) completion falls after the deadline. */
  afterDeadline: boolean | null;
};

/**
 * Fulfilments per day since the milestone was set, applied to the units still pending:
 * pending × days / fulfilled more days, rounded up, computed in integers.
 */
export function projectCompletion(
  milestone: Pick<MilestoneRow, 'setOn' | 'deadline'>,
  asOf: LocalDate,
  standing: Standing,
  lastFulfilledOn: LocalDate | null,
): CompletionProjection {
  const { setOn, deadline } = milestone;
  const { fulfilled, pending } = standing;
  const daysSinceSet = Math.max(0, daysBetween(setOn, asOf));
  const fulfilmentsPerDay =
    daysSinceSet > 0 ? Math.round((fulfilled * 100) / daysSinceSet) / 100 : null;
  if (pending <= 0) {
    return {
      complete: true,
      daysSinceSet,
      fulfilmentsPerDay,
      projectedCompletionOn: lastFulfilledOn,
      afterDeadline: lastFulfilledOn === null ? false : lastFulfilledOn > deadline,
    };
  }
  if (fulfilled === 0 || daysSinceSet === 0) {
    return {
      complete: false,
      daysSinceSet,
      fulfilmentsPerDay,
      projectedCompletionOn: null,
      // Units still pending at the end of the deadline are late whatever the rate.
      afterDeadline: asOf >= deadline ? true : null,
    };
  }
  const projected = addDays(asOf, Math.ceil((pending * daysSinceSet) / fulfilled));
  return {
    complete: false,
    daysSinceSet,
    fulfilmentsPerDay,
    projectedCompletionOn: projected,
    afterDeadline: projected > deadline,
  };
}

export type ComplianceFigures = {
  asOf: LocalDate;
  /** Days from asOf to the deadline, 0 once it has passed. */
  daysRemaining: number;
  deadlinePassed: boolean;
  /** Units required and their outcomes as of asOf. */
  now: Standing;
  /** The same at the end of the deadline: who met it in time. */
  atDeadline: Standing;
  projection: CompletionProjection;
};

export function complianceFigures(
  milestone: MilestoneRow,
  asOf: LocalDate,
  countsOn: (date: LocalDate) => OutcomeCounts,
): ComplianceFigures {
  const current = countsOn(asOf);
  const now = standingOn(asOf, current);
  return {
    asOf,
    daysRemaining: Math.max(0, daysBetween(asOf, milestone.deadline)),
    deadlinePassed: asOf > milestone.deadline,
    now,
    atDeadline: standingOn(milestone.deadline, countsOn(milestone.deadline)),
    projection: projectCompletion(milestone, asOf, now, current.lastFulfilledOn),
  };
}
