import { UnitHierarchyCycle, administrativeUnitDecider, unitStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { activeUnit, lineOf } from '../unit-hierarchy.js';
import { MoveUnitRequest } from './move-unit.request.dto.js';

export const moveUnit = useCase({
  name: 'MoveUnit',
  request: MoveUnitRequest,
  roles: WRITERS,
  async execute(transaction, { unitId, parentId, effectiveDate }) {
    await activeUnit(transaction, parentId, 'parentId');
    if (parentId !== unitId && (await lineOf(transaction, parentId)).includes(unitId)) {
      throw new UnitHierarchyCycle(unitId, parentId);
    }
    await transaction.decide(
      administrativeUnitDecider,
      unitStream(unitId),
      { type: 'MoveUnit', unitId, parentId, effectiveDate },
      effectiveDate,
    );
  },
});
