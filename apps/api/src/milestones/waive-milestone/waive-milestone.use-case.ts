import { milestoneDecider, milestoneStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { unitInScope } from '../unit-in-scope.js';
import { WaiveMilestoneRequest } from './waive-milestone.request.dto.js';

export const waiveMilestone = useCase({
  name: 'WaiveMilestone',
  request: WaiveMilestoneRequest,
  roles: WRITERS,
  async execute(transaction, { milestoneId, unitId, reason, waivedOn }) {
    const on = waivedOn ?? transaction.today();
    await transaction.decide(
      milestoneDecider,
      milestoneStream(milestoneId),
      {
        type: 'WaiveMilestone',
        milestoneId,
        unit: await unitInScope(transaction, unitId),
        reason,
        waivedOn: on,
      },
      on,
    );
  },
});
