import { type LocalDate } from '../shared/local-date.js';

/** A target and the date it takes effect: the original assignment, then each revision. */
export type PlanTargetChange = { effectiveFrom: LocalDate; target: number };

/**
 * The target in force on `date`: of the changes effective on or before it, the one with the
 * latest effective date (the later recorded, when two share a date). Null before the plan's
 * period starts. `changes` are in the order they were recorded.
 */
export function targetInForce(
  changes: readonly PlanTargetChange[],
  date: LocalDate,
): number | null {
  let inForce: PlanTargetChange | null = null;
  for (const change of changes) {
    if (change.effectiveFrom <= date && (!inForce || change.effectiveFrom >= inForce.effectiveFrom))
      inForce = change;
  }
  return inForce?.target ?? null;
}
