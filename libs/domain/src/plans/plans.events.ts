import { type DomainEvent } from '../shared/decider.js';
import { type LocalDate } from '../shared/local-date.js';
import { type SchemeScope } from '../schemes/scheme-groups.js';

/**
 * What a plan counts: people enrolled, coverage in basis points of the denominator
 * (9342 = 93.42%), or contributions collected in whole VND.
 */
export const PLAN_METRICS = ['participants', 'coverage-rate', 'contributions'] as const;
export type PlanMetric = (typeof PLAN_METRICS)[number];

/** Who a plan is cascaded to. */
export const ALLOCATION_RECIPIENTS = ['unit', 'organization', 'agent'] as const;
export type AllocationRecipient = (typeof ALLOCATION_RECIPIENTS)[number];

/** Which plan an event belongs to, repeated on every event so read models need no lookup. */
export type PlanKey = {
  planId: string;
  unitId: string;
  /** A scheme, or a group of them whose plan is its own (not the sum of its members'). */
  scheme: SchemeScope;
  metric: PlanMetric;
  year: number;
};

export type PlanAssigned = DomainEvent<
  'PlanAssigned',
  PlanKey & {
    target: number;
    decisionRef: string | null;
    /** The plan's period; the original target is in force from `startDate`. */
    startDate: LocalDate;
    endDate: LocalDate;
  }
>;

/** A new target from `effectiveFrom`; earlier dates keep the target that was in force then. */
export type PlanRevised = DomainEvent<
  'PlanRevised',
  PlanKey & {
    target: number;
    /** The target in force at `effectiveFrom` before this revision. */
    previousTarget: number;
    reason: string;
    decisionRef: string;
    effectiveFrom: LocalDate;
  }
>;

/** A share of the plan given to a child unit, a collection organization or an agent. */
export type PlanAllocated = DomainEvent<
  'PlanAllocated',
  PlanKey & {
    recipientKind: AllocationRecipient;
    recipientId: string;
    target: number;
    /** The recipient's allocation this one replaces, if any. */
    previousTarget: number | null;
    allocatedOn: LocalDate;
  }
>;

export type PlanEvent = PlanAssigned | PlanRevised | PlanAllocated;
