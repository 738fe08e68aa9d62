import { unitParticipationDecider, unitParticipationStream, unitStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { activeUnit } from '../../administrative-units/unit-hierarchy.js';
import { ReportParticipationRequest } from './report-participation.request.dto.js';

export const reportParticipation = useCase({
  name: 'ReportParticipation',
  request: ReportParticipationRequest,
  roles: WRITERS,
  reads: ({ unitId, scheme }) => [unitStream(unitId), unitParticipationStream(unitId, scheme)],
  async execute(transaction, { unitId, scheme, date, gains, stops }) {
    await activeUnit(transaction, unitId, 'unitId');
    await transaction.decide(
      unitParticipationDecider,
      unitParticipationStream(unitId, scheme),
      { type: 'ReportParticipation', unitId, scheme, date, gains, stops },
      date,
    );
  },
});
