import { participantDecider, participantStream } from '#domain';
import { FIELD_WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { assertMayRecordFor, attributionFor } from '../attribution.js';
import { ResumeParticipationRequest } from './resume-participation.request.dto.js';

export const resumeParticipation = useCase({
  name: 'ResumeParticipation',
  request: ResumeParticipationRequest,
  roles: FIELD_WRITERS,
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
