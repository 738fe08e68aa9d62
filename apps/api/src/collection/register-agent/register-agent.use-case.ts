import { agentStream, collectionAgentDecider } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { RegisterAgentRequest } from './register-agent.request.dto.js';

export const registerAgent = useCase({
  name: 'RegisterCollectionAgent',
  request: RegisterAgentRequest,
  roles: WRITERS,
  async execute(transaction, { agentId, name, registeredOn }) {
    await transaction.decide(
      collectionAgentDecider,
      agentStream(agentId),
      { type: 'RegisterCollectionAgent', agentId, name, registeredOn },
      registeredOn,
    );
  },
});
