import { type SchemeScope, isSchemeScope } from '../schemes/scheme-groups.js';
import { PLAN_METRICS, type PlanMetric } from './plans.events.js';

export type PlanIdParts = { unitId: string; scheme: SchemeScope; metric: PlanMetric; year: number };

/** One plan per unit, scheme or scheme group, metric and year: `HP.voluntary-social-insurance.participants.2024`. */
export function planIdOf({ unitId, scheme, metric, year }: PlanIdParts): string {
  return `${unitId}.${scheme}.${metric}.${year}`;
}

export const planStream = (planId: string) => `plan-${planId}`;

/** Read from the right: unit codes may contain dots, schemes and metrics never do. */
export function parsePlanId(planId: string): PlanIdParts | undefined {
  const parts = planId.split('.');
  if (parts.length < 4) return undefined;
  const [scheme, metric, year] = parts.slice(-3);
  const unitId = parts.slice(0, -3).join('.');
  if (!unitId || !/^\d{4}$/.test(year)) return undefined;
  if (!isSchemeScope(scheme)) return undefined;
  if (!(PLAN_METRICS as readonly string[]).includes(metric)) return undefined;
  return { unitId, scheme, metric: metric as PlanMetric, year: Number(year) };
}
