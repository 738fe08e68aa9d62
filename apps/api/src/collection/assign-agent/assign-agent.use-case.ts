import {
  agentStream,
  collectionAgentDecider,
  collectionPointDecider,
  collectionPointStream,
  requirePointOpenFor,
} from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { registeredOrganization } from '../collection-references.js';
import { AssignAgentRequest } from './assign-agent.request.dto.js';

export const assignAgent = useCase({
  name: 'AssignAgent',
  request: AssignAgentRequest,
  roles: WRITERS,
  async execute(transaction, { agentId, organizationId, pointId, from, until }) {
    await registeredOrganization(transaction, organizationId, 'organizationId');
    if (pointId) {
      requirePointOpenFor(
        await transaction.state(collectionPointDecider, collectionPointStream(pointId)),
        { pointId, organizationId, from, until: until ?? null },
        'pointId',
      );
    }
    await transaction.decide(
      collectionAgentDecider,
      agentStream(agentId),
      {
        type: 'AssignAgent',
        agentId,
        organizationId,
        pointId: pointId ?? null,
        from,
        until: until ?? null,
      },
      from,
    );
  },
});
