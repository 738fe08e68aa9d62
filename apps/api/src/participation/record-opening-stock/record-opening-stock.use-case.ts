import { unitParticipationDecider, unitParticipationStream, unitStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { activeUnit } from '../../administrative-units/unit-hierarchy.js';
import { RecordOpeningStockRequest } from './record-opening-stock.request.dto.js';

export const recordOpeningStock = useCase({
  name: 'RecordOpeningStock',
  request: RecordOpeningStockRequest,
  roles: WRITERS,
  reads: ({ unitId, scheme }) => [unitStream(unitId), unitParticipationStream(unitId, scheme)],
  async execute(transaction, { unitId, scheme, date, participants }) {
    await activeUnit(transaction, unitId, 'unitId');
    await transaction.decide(
      unitParticipationDecider,
      unitParticipationStream(unitId, scheme),
      { type: 'RecordOpeningStock', unitId, scheme, date, participants },
      date,
    );
  },
});
