import { participantDecider, participantStream } from '#domain';
import { FIELD_WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { assertMayRecordFor } from '../attribution.js';
import { StopParticipationRequest } from './stop-participation.request.dto.js';

export const stopParticipation = useCase({
  name: 'StopParticipation',
  request: StopParticipationRequest,
  roles: FIELD_WRITERS,
  reads: ({ participantId }) => [participantStream(participantId)],
  async execute(transaction, { participantId, scheme, reason, stoppedOn }) {
    const [stopped] = await transaction.decide(
      participantDecider,
      participantStream(participantId),
      { type: 'StopParticipation', participantId, scheme, reason, stoppedOn },
      stoppedOn,
    );
    assertMayRecordFor(transaction.actor, stopped.data.organizationId);
  },
});
