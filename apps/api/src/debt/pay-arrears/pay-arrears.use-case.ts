import { debtDecider, employerStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { PayArrearsRequest } from './pay-arrears.request.dto.js';

export const payArrears = useCase({
  name: 'PayArrears',
  request: PayArrearsRequest,
  roles: WRITERS,
  async execute(transaction, { employerId, amount, paidOn }) {
    await transaction.decide(
      debtDecider,
      employerStream(employerId),
      { type: 'PayArrears', employerId, amount, paidOn },
      paidOn,
    );
  },
});
