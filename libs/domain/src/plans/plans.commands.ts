import { type LocalDate } from '../shared/local-date.js';
import { type SchemeScope } from '../schemes/scheme-groups.js';
import { type AllocationRecipient, type PlanMetric } from './plans.events.js';

export type AssignPlan = {
  type: 'AssignPlan';
  unitId: string;
  /** A scheme, or a group of them whose plan is its own (not the sum of its members'). */
  scheme: SchemeScope;
  metric: PlanMetric;
  year: number;
  target: number;
  decisionRef: string | null;
  startDate: LocalDate;
  endDate: LocalDate;
};

export type RevisePlan = {
  type: 'RevisePlan';
  planId: string;
  target: number;
  reason: string;
  decisionRef: string;
  effectiveFrom: LocalDate;
};

export type Allocation = {
  recipientKind: AllocationRecipient;
  recipientId: string;
  target: number;
};

export type AllocatePlan = {
  type: 'AllocatePlan';
  planId: string;
  allocations: Allocation[];
  allocatedOn: LocalDate;
};

export type PlanCommand = AssignPlan | RevisePlan | AllocatePlan;
