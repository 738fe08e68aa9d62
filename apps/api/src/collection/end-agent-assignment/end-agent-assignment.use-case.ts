import { agentStream, collectionAgentDecider } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { EndAgentAssignmentRequest } from './end-agent-assignment.request.dto.js';

export const endAgentAssignment = useCase({
  name: 'EndAgentAssignment',
  request: EndAgentAssignmentRequest,
  roles: WRITERS,
  async execute(transaction, { agentId, endedOn }) {
    await transaction.decide(
      collectionAgentDecider,
      agentStream(agentId),
      { type: 'EndAgentAssignment', agentId, endedOn },
      endedOn,
    );
  },
});
