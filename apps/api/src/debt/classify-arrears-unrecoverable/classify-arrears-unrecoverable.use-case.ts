import { debtDecider, employerStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { ClassifyArrearsUnrecoverableRequest } from './classify-arrears-unrecoverable.request.dto.js';

export const classifyArrearsUnrecoverable = useCase({
  name: 'ClassifyArrearsUnrecoverable',
  request: ClassifyArrearsUnrecoverableRequest,
  roles: WRITERS,
  async execute(transaction, { employerId, reason, amount, classifiedOn }) {
    await transaction.decide(
      debtDecider,
      employerStream(employerId),
      { type: 'ClassifyArrearsUnrecoverable', employerId, reason, amount, classifiedOn },
      classifiedOn,
    );
  },
});
