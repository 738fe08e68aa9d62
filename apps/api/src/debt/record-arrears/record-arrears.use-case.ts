import { debtDecider, employerStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { activeUnit } from '../../administrative-units/unit-hierarchy.js';
import { useCase } from '../../ledger/use-case.js';
import { RecordArrearsRequest } from './record-arrears.request.dto.js';

export const recordArrears = useCase({
  name: 'RecordArrears',
  request: RecordArrearsRequest,
  roles: WRITERS,
  async execute(transaction, request) {
    const { employerId, employerName, unitId, period, amountDue, amountOverdue, recordedOn } =
      request;
    await activeUnit(transaction, unitId, 'unitId');
    await transaction.decide(
      debtDecider,
      employerStream(employerId),
      {
        type: 'RecordArrears',
        employerId,
        employerName,
        unitId,
        period,
        amountDue,
        amountOverdue,
        recordedOn,
      },
      recordedOn,
    );
  },
});
