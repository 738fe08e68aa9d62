import { participantDecider, participantStream } from '#domain';
import { FIELD_WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { assertMayRecordFor, attributionFor, attributionReads } from '../attribution.js';
import { CollectContributionRequest } from './collect-contribution.request.dto.js';

export const collectContribution = useCase({
  name: 'CollectContribution',
  request: CollectContributionRequest,
  roles: FIELD_WRITERS,
  reads: ({ participantId, organizationId, agentId }) => [
    participantStream(participantId),
    ...attributionReads({ organizationId, agentId }),
  ],
  async execute(
    transaction,
    { participantId, scheme, amount, periodFrom, periodTo, collectedOn, organizationId, agentId },
  ) {
    const attribution = await attributionFor(transaction, { organizationId, agentId }, collectedOn);
    const [collected] = await transaction.decide(
      participantDecider,
      participantStream(participantId),
      {
        type: 'CollectContribution',
        participantId,
        scheme,
        amount,
        periodFrom,
        periodTo,
        collectedOn,
        ...attribution,
      },
      collectedOn,
    );
    assertMayRecordFor(transaction.actor, collected.data.organizationId);
  },
});
