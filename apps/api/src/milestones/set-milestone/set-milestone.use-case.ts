import { milestoneDecider, milestoneStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { activeUnit } from '../../administrative-units/unit-hierarchy.js';
import { useCase } from '../../ledger/use-case.js';
import { SetMilestoneRequest } from './set-milestone.request.dto.js';

export const setMilestone = useCase({
  name: 'SetMilestone',
  request: SetMilestoneRequest,
  roles: WRITERS,
  async execute(transaction, request) {
    const { milestoneId, name, requirement, deadline, scopeUnitId, criterion } = request;
    await activeUnit(transaction, scopeUnitId, 'scopeUnitId');
    const setOn = request.setOn ?? transaction.today();
    await transaction.decide(
      milestoneDecider,
      milestoneStream(milestoneId),
      {
        type: 'SetMilestone',
        milestoneId,
        name,
        requirement,
        deadline,
        scopeUnitId,
        criterion: {
          levels: criterion.levels ?? [],
          withCollectionPoint: criterion.withCollectionPoint ?? false,
        },
        setOn,
      },
      setOn,
    );
  },
});
