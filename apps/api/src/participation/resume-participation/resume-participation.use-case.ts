import { participantDecider, participantStream } from '#domain';
import { FIELD_WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { assertMayRecordFor, attributionFor, attributionReads } from '../attribution.js';
import { ResumeParticipationRequest } from './resume-participation.request.dto.js';

export const resumeParticipation = useCase({
  name: 'ResumeParticipation',
  request: ResumeParticipationRequest,
  roles: FIELD_WRITERS,
  reads: ({ participantId, organizationId, agentId, pointId }) => [
    participantStream(participantId),
    ...attributionReads({ organizationId, agentId, pointId }),
  ],
  async execute(
    transaction,
    { participantId, scheme, resumedOn, paidUntil, organizationId, agentId, pointId },
  ) {
    const attribution = await attributionFor(
      transaction,
      { organizationId, agentId, pointId },
      resumedOn,
    );
    const [resumed] = await transaction.decide(
      participantDecider,
      participantStream(participantId),
      { type: 'ResumeParticipation', participantId, scheme, resumedOn, paidUntil, ...attribution },
      resumedOn,
    );
    assertMayRecordFor(transaction.actor, resumed.data.organizationId);
  },
});
