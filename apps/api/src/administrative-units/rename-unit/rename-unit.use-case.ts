import { administrativeUnitDecider, unitStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { RenameUnitRequest } from './rename-unit.request.dto.js';

export const renameUnit = useCase({
  name: 'RenameUnit',
  request: RenameUnitRequest,
  roles: WRITERS,
  async execute(transaction, { unitId, name, effectiveDate }) {
    await transaction.decide(
      administrativeUnitDecider,
      unitStream(unitId),
      { type: 'RenameUnit', unitId, name, effectiveDate },
      effectiveDate,
    );
  },
});
