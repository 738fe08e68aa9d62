import { type Decider } from '../shared/decider.js';
import { RuleViolation, StateConflict, UnknownEntity } from '../shared/errors.js';
import { type LocalDate, yearOf } from '../shared/local-date.js';
import { coverageBaseOf, isSchemeGroup } from '../schemes/scheme-groups.js';
import { PersistentMap } from '../shared/persistent-map.js';
import { planIdOf } from './plan-id.js';
import { type PlanTargetChange, targetInForce } from './plan-targets.js';
import {
  type AllocatePlan,
  type AssignPlan,
  type PlanCommand,
  type RevisePlan,
} from './plans.commands.js';
import { PlanAlreadyAssigned } from './plans.errors.js';
import {
  type AllocationRecipient,
  type PlanEvent,
  type PlanKey,
  type PlanMetric,
} from './plans.events.js';

export type PlanAllocation = {
  recipientKind: AllocationRecipient;
  recipientId: string;
  target: number;
};

export type AssignedPlan = {
  status: 'assigned';
  key: PlanKey;
  startDate: LocalDate;
  endDate: LocalDate;
  /** The original target and every revision, in the order recorded. */
  targets: PlanTargetChange[];
  /** The allocation in force per recipient, keyed `kind:id`. */
  allocations: PersistentMap<string, PlanAllocation>;
};

export type Plan = { status: 'unassigned' } | AssignedPlan;

/** 100% in basis points: a coverage rate cannot exceed it. */
export const FULL_COVERAGE_BASIS_POINTS = 10_000;

const recipientKey = (kind: AllocationRecipient, id: string) => `${kind}:${id}`;

function requireTarget(metric: PlanMetric, target: number, field: string): void {
  if (!Number.isSafeInteger(target) || target <= 0) {
    throw new RuleViolation('A target must be a whole number greater than 0', field);
  }
  if (metric === 'coverage-rate' && target > FULL_COVERAGE_BASIS_POINTS) {
    throw new RuleViolation(
      `A coverage-rate target is in basis points and cannot exceed ${FULL_COVERAGE_BASIS_POINTS} (100%)`,
      field,
    );
  }
}

function requireAssigned(plan: Plan, planId: string): AssignedPlan {
  if (plan.status === 'unassigned') throw new UnknownEntity('plan', planId, 'planId');
  return plan;
}

function assign(command: AssignPlan, plan: Plan): PlanEvent[] {
  const { unitId, scheme, metric, year, target, decisionRef, startDate, endDate } = command;
  const planId = planIdOf(command);
  if (plan.status !== 'unassigned') throw new PlanAlreadyAssigned(planId);
  if (yearOf(startDate) !== year) {
    throw new RuleViolation(`The plan's period must start within ${year}`, 'startDate');
  }
  if (yearOf(endDate) !== year) {
    throw new RuleViolation(`The plan's period must end within ${year}`, 'endDate');
  }
  if (endDate < startDate) {
    throw new RuleViolation("The plan's period cannot end before it starts", 'endDate');
  }
  requireTarget(metric, target, 'target');
  if (metric === 'coverage-rate' && coverageBaseOf(scheme) === null) {
    throw new RuleViolation(
      `'${scheme}' has no coverage base, so it cannot have a coverage-rate plan`,
      'scheme',
    );
  }
  return [
    {
      type: 'PlanAssigned',
      data: { planId, unitId, scheme, metric, year, target, decisionRef, startDate, endDate },
    },
  ];
}

function revise(command: RevisePlan, current: AssignedPlan): PlanEvent[] {
  const { target, reason, decisionRef, effectiveFrom } = command;
  if (effectiveFrom < current.startDate || effectiveFrom > current.endDate) {
    throw new RuleViolation(
      `A revision must take effect within the plan's period, ${current.startDate} to ${current.endDate}`,
      'effectiveFrom',
    );
  }
  requireTarget(current.key.metric, target, 'target');
  const previousTarget = targetInForce(current.targets, effectiveFrom) as number;
  if (previousTarget === target) {
    throw new StateConflict(
      `Plan '${command.planId}' already has the target ${target} on ${effectiveFrom}`,
      'target',
    );
  }
  return [
    {
      type: 'PlanRevised',
      data: { ...current.key, target, previousTarget, reason, decisionRef, effectiveFrom },
    },
  ];
}

/** Unchanged allocations are left out; a request that changes none is refused. */
function allocate(command: AllocatePlan, current: AssignedPlan): PlanEvent[] {
  if (command.allocations.length === 0) {
    throw new RuleViolation('Give at least one allocation', 'allocations');
  }
  const seen = new Set<string>();
  const events: PlanEvent[] = [];
  for (const [index, { recipientKind, recipientId, target }] of command.allocations.entries()) {
    const key = recipientKey(recipientKind, recipientId);
    if (seen.has(key)) {
      throw new RuleViolation(
        `The ${recipientKind} '${recipientId}' is allocated twice in one request`,
        `allocations[${index}].recipientId`,
      );
    }
    seen.add(key);
    // Performance targets sum every plan of a recipient: a group's share on top of its
    // members' would count the same people twice.
    if (recipientKind !== 'unit' && isSchemeGroup(current.key.scheme)) {
      throw new RuleViolation(
        `A plan of the group '${current.key.scheme}' is allocated to units only; organizations and agents get plans per scheme`,
        `allocations[${index}].recipientKind`,
      );
    }
    if (recipientKind === 'unit' && recipientId === current.key.unitId) {
      throw new RuleViolation(
        "A plan is allocated to the unit's children, not to the unit itself",
        `allocations[${index}].recipientId`,
      );
    }
    requireTarget(current.key.metric, target, `allocations[${index}].target`);
    const previousTarget = current.allocations.get(key)?.target ?? null;
    if (previousTarget === target) continue;
    events.push({
      type: 'PlanAllocated',
      data: {
        ...current.key,
        recipientKind,
        recipientId,
        target,
        previousTarget,
        allocatedOn: command.allocatedOn,
      },
    });
  }
  if (events.length === 0) {
    throw new StateConflict('Every allocation in the request is already in force', 'allocations');
  }
  return events;
}

function decide(command: PlanCommand, plan: Plan): PlanEvent[] {
  switch (command.type) {
    case 'AssignPlan':
      return assign(command, plan);
    case 'RevisePlan':
      return revise(command, requireAssigned(plan, command.planId));
    case 'AllocatePlan':
      return allocate(command, requireAssigned(plan, command.planId));
  }
}

function evolve(plan: Plan, event: PlanEvent): Plan {
  if (event.type === 'PlanAssigned') {
    const { planId, unitId, scheme, metric, year, target, startDate, endDate } = event.data;
    return {
      status: 'assigned',
      key: { planId, unitId, scheme, metric, year },
      startDate,
      endDate,
      targets: [{ effectiveFrom: startDate, target }],
      allocations: PersistentMap.empty(),
    };
  }
  if (plan.status === 'unassigned') return plan;
  switch (event.type) {
    case 'PlanRevised':
      return {
        ...plan,
        targets: [
          ...plan.targets,
          { effectiveFrom: event.data.effectiveFrom, target: event.data.target },
        ],
      };
    case 'PlanAllocated': {
      const { recipientKind, recipientId, target } = event.data;
      return {
        ...plan,
        allocations: plan.allocations.set(recipientKey(recipientKind, recipientId), {
          recipientKind,
          recipientId,
          target,
        }),
      };
    }
  }
}

export const planDecider: Decider<PlanCommand, PlanEvent, Plan> = {
  initialState: { status: 'unassigned' },
  decide,
  evolve,
};
