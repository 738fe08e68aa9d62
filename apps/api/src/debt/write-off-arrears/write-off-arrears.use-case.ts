import { debtDecider, employerStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { WriteOffArrearsRequest } from './write-off-arrears.request.dto.js';

export const writeOffArrears = useCase({
  name: 'WriteOffArrears',
  request: WriteOffArrearsRequest,
  roles: WRITERS,
  async execute(transaction, { employerId, amount, decisionRef, writtenOffOn }) {
    await transaction.decide(
      debtDecider,
      employerStream(employerId),
      { type: 'WriteOffArrears', employerId, amount, decisionRef, writtenOffOn },
      writtenOffOn,
    );
  },
});
