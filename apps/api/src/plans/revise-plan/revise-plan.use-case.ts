import { planDecider, planStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { RevisePlanRequest } from './revise-plan.request.dto.js';

export const revisePlan = useCase({
  name: 'RevisePlan',
  request: RevisePlanRequest,
  roles: WRITERS,
  async execute(transaction, { planId, target, reason, decisionRef, effectiveFrom }) {
    await transaction.decide(
      planDecider,
      planStream(planId),
      { type: 'RevisePlan', planId, target, reason, decisionRef, effectiveFrom },
      effectiveFrom,
    );
  },
});
