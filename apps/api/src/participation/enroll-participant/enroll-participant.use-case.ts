import { participantDecider, participantStream, unitStream } from '#domain';
import { FIELD_WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { activeUnit } from '../../administrative-units/unit-hierarchy.js';
import { assertMayRecordFor, attributionFor, attributionReads } from '../attribution.js';
import { EnrollParticipantRequest } from './enroll-participant.request.dto.js';

export const enrollParticipant = useCase({
  name: 'EnrollParticipant',
  request: EnrollParticipantRequest,
  roles: FIELD_WRITERS,
  reads: ({ participantId, unitId, organizationId, agentId, pointId }) => [
    participantStream(participantId),
    unitStream(unitId),
    ...attributionReads({ organizationId, agentId, pointId }),
  ],
  creates: ({ participantId }) => [participantStream(participantId)],
  async execute(
    transaction,
    { participantId, scheme, unitId, enrolledOn, paidUntil, organizationId, agentId, pointId },
  ) {
    const attribution = await attributionFor(
      transaction,
      { organizationId, agentId, pointId },
      enrolledOn,
    );
    assertMayRecordFor(transaction.actor, attribution.organizationId);
    await activeUnit(transaction, unitId, 'unitId');
    await transaction.decide(
      participantDecider,
      participantStream(participantId),
      {
        type: 'EnrollParticipant',
        participantId,
        scheme,
        unitId,
        enrolledOn,
        paidUntil,
        ...attribution,
      },
      enrolledOn,
    );
  },
});
