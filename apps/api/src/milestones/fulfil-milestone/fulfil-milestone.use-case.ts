import { milestoneDecider, milestoneStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { unitInScope } from '../unit-in-scope.js';
import { FulfilMilestoneRequest } from './fulfil-milestone.request.dto.js';

export const fulfilMilestone = useCase({
  name: 'FulfilMilestone',
  request: FulfilMilestoneRequest,
  roles: WRITERS,
  async execute(transaction, { milestoneId, unitId, fulfilledOn, parties, documentRef }) {
    await transaction.decide(
      milestoneDecider,
      milestoneStream(milestoneId),
      {
        type: 'FulfilMilestone',
        milestoneId,
        unit: await unitInScope(transaction, unitId),
        fulfilledOn,
        parties,
        documentRef,
      },
      fulfilledOn,
    );
  },
});
