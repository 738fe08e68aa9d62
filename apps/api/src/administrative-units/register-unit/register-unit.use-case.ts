import { administrativeUnitDecider, unitStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { activeUnit } from '../unit-hierarchy.js';
import { RegisterUnitRequest } from './register-unit.request.dto.js';

export const registerUnit = useCase({
  name: 'RegisterUnit',
  request: RegisterUnitRequest,
  roles: WRITERS,
  async execute(transaction, { unitId, name, level, parentId, effectiveDate }) {
    if (parentId) await activeUnit(transaction, parentId, 'parentId');
    await transaction.decide(
      administrativeUnitDecider,
      unitStream(unitId),
      { type: 'RegisterUnit', unitId, name, level, parentId: parentId ?? null, effectiveDate },
      effectiveDate,
    );
  },
});
