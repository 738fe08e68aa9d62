import { RuleViolation, administrativeUnitDecider, unitStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { activeUnit, lineOf } from '../unit-hierarchy.js';
import { MergeUnitsRequest } from './merge-units.request.dto.js';

export const mergeUnits = useCase({
  name: 'MergeUnits',
  request: MergeUnitsRequest,
  roles: WRITERS,
  async execute(transaction, { unitIds, intoUnitId, effectiveDate, decisionRef = null }) {
    await activeUnit(transaction, intoUnitId, 'intoUnitId');
    const intoLine = await lineOf(transaction, intoUnitId);
    for (const [index, unitId] of unitIds.entries()) {
      await activeUnit(transaction, unitId, `unitIds[${index}]`);
      if (unitId !== intoUnitId && intoLine.includes(unitId)) {
        throw new RuleViolation(
          `Unit '${intoUnitId}' lies under '${unitId}': a unit cannot be merged into its own descendant`,
          `unitIds[${index}]`,
        );
      }
      await transaction.decide(
        administrativeUnitDecider,
        unitStream(unitId),
        { type: 'MergeUnit', unitId, intoUnitId, effectiveDate, decisionRef },
        effectiveDate,
      );
    }
    await transaction.decide(
      administrativeUnitDecider,
      unitStream(intoUnitId),
      {
        type: 'AbsorbUnits',
        unitId: intoUnitId,
        mergedUnitIds: unitIds,
        effectiveDate,
        decisionRef,
      },
      effectiveDate,
    );
  },
});
