import { unitParticipationDecider, unitParticipationStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { CorrectParticipationReportRequest } from './correct-participation-report.request.dto.js';

/** The unit need not be active: a report of a unit merged since may still be corrected. */
export const correctParticipationReport = useCase({
  name: 'CorrectParticipationReport',
  request: CorrectParticipationReportRequest,
  roles: WRITERS,
  reads: ({ unitId, scheme }) => [unitParticipationStream(unitId, scheme)],
  async execute(transaction, { unitId, scheme, date, gains, stops, reason, correctedOn }) {
    // The correction happens when it is made, not on the date it corrects: business time
    // then tells what was known when.
    const on = correctedOn ?? transaction.today();
    await transaction.decide(
      unitParticipationDecider,
      unitParticipationStream(unitId, scheme),
      {
        type: 'CorrectParticipationReport',
        unitId,
        scheme,
        date,
        gains,
        stops,
        reason,
        correctedOn: on,
      },
      on,
    );
  },
});
