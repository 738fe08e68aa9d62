import { describe, expect, it } from '@jest/globals';
import { fold } from '../shared/decider.js';
import { RuleViolation, StateConflict, UnknownEntity } from '../shared/errors.js';
import { specification } from '../testing/specification.js';
import { parsePlanId, planIdOf } from './plan-id.js';
import { targetInForce } from './plan-targets.js';
import { type AssignPlan } from './plans.commands.js';
import { type AssignedPlan, planDecider } from './plans.decider.js';
import { PlanAlreadyAssigned } from './plans.errors.js';
import { type PlanEvent, type PlanKey } from './plans.events.js';

const { given } = specification(planDecider);

const planId = 'HP.voluntary-social-insurance.participants.2024';
const key: PlanKey = {
  planId,
  unitId: 'HP',
  scheme: 'voluntary-social-insurance',
  metric: 'participants',
  year: 2024,
};
const assign: AssignPlan = {
  type: 'AssignPlan',
  unitId: 'HP',
  scheme: 'voluntary-social-insurance',
  metric: 'participants',
  year: 2024,
  target: 50_137,
  decisionRef: 'QD 123/QD-BHXH',
  startDate: '2024-01-01',
  endDate: '2024-12-31',
};
const assigned: PlanEvent = {
  type: 'PlanAssigned',
  data: {
    ...key,
    target: 50_137,
    decisionRef: 'QD 123/QD-BHXH',
    startDate: '2024-01-01',
    endDate: '2024-12-31',
  },
};
const revisedInOctober: PlanEvent = {
  type: 'PlanRevised',
  data: {
    ...key,
    target: 40_499,
    previousTarget: 50_137,
    reason: 'Plan adjusted by Vietnam Social Security',
    decisionRef: 'QD 456/QD-BHXH',
    effectiveFrom: '2024-10-01',
  },
};

describe('plan decider', () => {
  it('assigns a yearly target to a unit, scheme and metric', () => {
    given([]).when(assign).then([assigned]);
  });

  it('refuses to assign the same plan twice and says to revise it', () => {
    given([assigned])
      .when({ ...assign, target: 60_000 })
      .thenThrows(PlanAlreadyAssigned, /revise/);
  });

  it('refuses a period that ends before it starts', () => {
    given([])
      .when({ ...assign, startDate: '2024-07-01', endDate: '2024-06-30' })
      .thenThrows(RuleViolation, /end before it starts/);
  });

  it('refuses a period that leaves the plan year', () => {
    given([])
      .when({ ...assign, endDate: '2025-01-31' })
      .thenThrows(RuleViolation, /end within 2024/);
  });

  it('refuses a coverage-rate target above 100% in basis points', () => {
    given([])
      .when({ ...assign, metric: 'coverage-rate', target: 10_001 })
      .thenThrows(RuleViolation, /basis points/);
  });

  it('revises the target from a date and keeps the previous target in the event', () => {
    given([assigned])
      .when({
        type: 'RevisePlan',
        planId,
        target: 40_499,
        reason: 'Plan adjusted by Vietnam Social Security',
        decisionRef: 'QD 456/QD-BHXH',
        effectiveFrom: '2024-10-01',
      })
      .then([revisedInOctober]);
  });

  it("measures Hai Phong's voluntary SI against the plan in force on each date", () => {
    const plan = fold(planDecider, [assigned, revisedInOctober]) as AssignedPlan;
    const attainment = (participants: number, date: string) =>
      Math.round((participants * 10_000) / (targetInForce(plan.targets, date) as number));
    expect(attainment(36_520, '2024-09-30')).toBe(7284);
    expect(attainment(36_421, '2024-10-31')).toBe(8993);
    expect(targetInForce(plan.targets, '2023-12-31')).toBeNull();
  });

  it('gives the revision with the latest effective date, whatever the recording order', () => {
    const backdated: PlanEvent = {
      type: 'PlanRevised',
      data: {
        ...revisedInOctober.data,
        target: 45_000,
        previousTarget: 50_137,
        effectiveFrom: '2024-07-01',
      },
    } as PlanEvent;
    const plan = fold(planDecider, [assigned, revisedInOctober, backdated]) as AssignedPlan;
    expect(targetInForce(plan.targets, '2024-08-15')).toBe(45_000);
    expect(targetInForce(plan.targets, '2024-11-01')).toBe(40_499);
  });

  it('records as previous target the one in force at the revision date', () => {
    given([assigned, revisedInOctober])
      .when({
        type: 'RevisePlan',
        planId,
        target: 45_000,
        reason: 'Correction',
        decisionRef: 'QD 789',
        effectiveFrom: '2024-07-01',
      })
      .then([
        {
          type: 'PlanRevised',
          data: {
            ...key,
            target: 45_000,
            previousTarget: 50_137,
            reason: 'Correction',
            decisionRef: 'QD 789',
            effectiveFrom: '2024-07-01',
          },
        },
      ]);
  });

  it('refuses a revision effective outside the plan period', () => {
    given([assigned])
      .when({
        type: 'RevisePlan',
        planId,
        target: 40_000,
        reason: 'x',
        decisionRef: 'y',
        effectiveFrom: '2025-01-01',
      })
      .thenThrows(RuleViolation, /within the plan's period/);
  });

  it('refuses a revision to the target already in force', () => {
    given([assigned, revisedInOctober])
      .when({
        type: 'RevisePlan',
        planId,
        target: 40_499,
        reason: 'x',
        decisionRef: 'y',
        effectiveFrom: '2024-11-01',
      })
      .thenThrows(StateConflict, /already has the target 40499/);
  });

  it('refuses to revise a plan that was never assigned', () => {
    given([])
      .when({
        type: 'RevisePlan',
        planId,
        target: 1,
        reason: 'x',
        decisionRef: 'y',
        effectiveFrom: '2024-10-01',
      })
      .thenThrows(UnknownEntity, /plan/);
  });

  it('allocates to children, organizations and agents, and a new allocation replaces the old', () => {
    const first: PlanEvent = {
      type: 'PlanAllocated',
      data: {
        ...key,
        recipientKind: 'unit',
        recipientId: 'HP-LC',
        target: 3_000,
        previousTarget: null,
        allocatedOn: '2024-02-01',
      },
    };
    given([assigned])
      .when({
        type: 'AllocatePlan',
        planId,
        allocations: [
          { recipientKind: 'unit', recipientId: 'HP-LC', target: 3_000 },
          { recipientKind: 'agent', recipientId: 'AG-7', target: 120 },
        ],
        allocatedOn: '2024-02-01',
      })
      .then([
        first,
        {
          type: 'PlanAllocated',
          data: {
            ...key,
            recipientKind: 'agent',
            recipientId: 'AG-7',
            target: 120,
            previousTarget: null,
            allocatedOn: '2024-02-01',
          },
        },
      ]);
    given([assigned, first])
      .when({
        type: 'AllocatePlan',
        planId,
        allocations: [
          { recipientKind: 'unit', recipientId: 'HP-LC', target: 3_500 },
          { recipientKind: 'organization', recipientId: 'VNPOST-HP', target: 9_000 },
        ],
        allocatedOn: '2024-06-01',
      })
      .then([
        {
          type: 'PlanAllocated',
          data: {
            ...key,
            recipientKind: 'unit',
            recipientId: 'HP-LC',
            target: 3_500,
            previousTarget: 3_000,
            allocatedOn: '2024-06-01',
          },
        },
        {
          type: 'PlanAllocated',
          data: {
            ...key,
            recipientKind: 'organization',
            recipientId: 'VNPOST-HP',
            target: 9_000,
            previousTarget: null,
            allocatedOn: '2024-06-01',
          },
        },
      ]);
    const plan = fold(planDecider, [assigned, first]) as AssignedPlan;
    expect(plan.allocations.get('unit:HP-LC')?.target).toBe(3_000);
  });

  it('leaves out allocations that change nothing and refuses a request where none changes', () => {
    const allocated: PlanEvent = {
      type: 'PlanAllocated',
      data: {
        ...key,
        recipientKind: 'agent',
        recipientId: 'AG-7',
        target: 120,
        previousTarget: null,
        allocatedOn: '2024-02-01',
      },
    };
    given([assigned, allocated])
      .when({
        type: 'AllocatePlan',
        planId,
        allocations: [
          { recipientKind: 'agent', recipientId: 'AG-7', target: 120 },
          { recipientKind: 'agent', recipientId: 'AG-8', target: 90 },
        ],
        allocatedOn: '2024-03-01',
      })
      .then([
        {
          type: 'PlanAllocated',
          data: {
            ...key,
            recipientKind: 'agent',
            recipientId: 'AG-8',
            target: 90,
            previousTarget: null,
            allocatedOn: '2024-03-01',
          },
        },
      ]);
    given([assigned, allocated])
      .when({
        type: 'AllocatePlan',
        planId,
        allocations: [{ recipientKind: 'agent', recipientId: 'AG-7', target: 120 }],
        allocatedOn: '2024-03-01',
      })
      .thenThrows(StateConflict, /already in force/);
  });

  it('refuses the same recipient twice in one allocation', () => {
    given([assigned])
      .when({
        type: 'AllocatePlan',
        planId,
        allocations: [
          { recipientKind: 'agent', recipientId: 'AG-7', target: 1 },
          { recipientKind: 'agent', recipientId: 'AG-7', target: 2 },
        ],
        allocatedOn: '2024-03-01',
      })
      .thenThrows(RuleViolation, /allocated twice/);
  });

  it('refuses to allocate a plan to its own unit', () => {
    given([assigned])
      .when({
        type: 'AllocatePlan',
        planId,
        allocations: [{ recipientKind: 'unit', recipientId: 'HP', target: 1 }],
        allocatedOn: '2024-03-01',
      })
      .thenThrows(RuleViolation, /children/);
  });
});

describe('plans of scheme groups', () => {
  const groupAssign: AssignPlan = { ...assign, unitId: 'DN', scheme: 'social-insurance' };
  const groupPlanId = 'DN.social-insurance.participants.2025';
  const groupAssigned: PlanEvent = {
    type: 'PlanAssigned',
    data: {
      planId: 'DN.social-insurance.participants.2024',
      unitId: 'DN',
      scheme: 'social-insurance',
      metric: 'participants',
      year: 2024,
      target: 50_137,
      decisionRef: 'QD 123/QD-BHXH',
      startDate: '2024-01-01',
      endDate: '2024-12-31',
    },
  };

  it('assigns a plan of its own to a group of schemes', () => {
    given([]).when(groupAssign).then([groupAssigned]);
  });

  it('assigns a coverage-rate plan to social insurance, measured against the working-age population', () => {
    given([])
      .when({ ...groupAssign, metric: 'coverage-rate', target: 5_200 })
      .then([
        {
          type: 'PlanAssigned',
          data: {
            ...groupAssigned.data,
            planId: 'DN.social-insurance.coverage-rate.2024',
            metric: 'coverage-rate',
            target: 5_200,
          },
        } as PlanEvent,
      ]);
  });

  it('refuses a coverage-rate plan for all schemes, which have no common denominator', () => {
    given([])
      .when({ ...groupAssign, scheme: 'all-schemes', metric: 'coverage-rate', target: 5_200 })
      .thenThrows(RuleViolation, /no coverage base/);
  });

  it("allocates a group's plan to units but not to organizations or agents", () => {
    const planIdOfGroup = groupAssigned.data.planId;
    given([groupAssigned])
      .when({
        type: 'AllocatePlan',
        planId: planIdOfGroup,
        allocations: [{ recipientKind: 'unit', recipientId: 'DN-BH', target: 1 }],
        allocatedOn: '2024-03-01',
      })
      .then([
        {
          type: 'PlanAllocated',
          data: {
            planId: planIdOfGroup,
            unitId: 'DN',
            scheme: 'social-insurance',
            metric: 'participants',
            year: 2024,
            recipientKind: 'unit',
            recipientId: 'DN-BH',
            target: 1,
            previousTarget: null,
            allocatedOn: '2024-03-01',
          },
        },
      ]);
    given([groupAssigned])
      .when({
        type: 'AllocatePlan',
        planId: planIdOfGroup,
        allocations: [{ recipientKind: 'organization', recipientId: 'VNPOST', target: 1 }],
        allocatedOn: '2024-03-01',
      })
      .thenThrows(RuleViolation, /units only/);
  });

  it('reads a group in a plan id', () => {
    expect(parsePlanId(groupPlanId)).toEqual({
      unitId: 'DN',
      scheme: 'social-insurance',
      metric: 'participants',
      year: 2025,
    });
  });
});

describe('plan ids', () => {
  it('reads a plan id from the right, so unit codes may contain dots', () => {
    const parts = {
      unitId: 'VN.HP',
      scheme: 'health-insurance',
      metric: 'coverage-rate',
      year: 2024,
    } as const;
    expect(parsePlanId(planIdOf(parts))).toEqual(parts);
    expect(parsePlanId('HP.no-such-scheme.participants.2024')).toBeUndefined();
    expect(parsePlanId('HP.health-insurance.participants')).toBeUndefined();
  });
});
