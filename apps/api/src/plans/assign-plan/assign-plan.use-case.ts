import { planDecider, planIdOf, planStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { activeUnit } from '../../administrative-units/unit-hierarchy.js';
import { useCase } from '../../ledger/use-case.js';
import { AssignPlanRequest } from './assign-plan.request.dto.js';

export const assignPlan = useCase({
  name: 'AssignPlan',
  request: AssignPlanRequest,
  roles: WRITERS,
  async execute(transaction, request) {
    const { unitId, scheme, metric, year, target, decisionRef = null } = request;
    const { startDate = `${year}-01-01`, endDate = `${year}-12-31` } = request;
    await activeUnit(transaction, unitId, 'unitId');
    await transaction.decide(
      planDecider,
      planStream(planIdOf({ unitId, scheme, metric, year })),
      {
        type: 'AssignPlan',
        unitId,
        scheme,
        metric,
        year,
        target,
        decisionRef,
        startDate,
        endDate,
      },
      startDate,
    );
  },
});
