import { administrativeUnitDecider, unitStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { SetDenominatorsRequest } from './set-denominators.request.dto.js';

export const setDenominators = useCase({
  name: 'SetDenominators',
  request: SetDenominatorsRequest,
  roles: WRITERS,
  async execute(
    transaction,
    { unitId, year, population, workingAgePopulation, labourForce, source },
  ) {
    const values = {
      ...(population !== undefined && { population }),
      ...(workingAgePopulation !== undefined && { 'working-age-population': workingAgePopulation }),
      ...(labourForce !== undefined && { 'labour-force': labourForce }),
    };
    await transaction.decide(
      administrativeUnitDecider,
      unitStream(unitId),
      { type: 'SetDenominators', unitId, year, values, source },
      `${year}-01-01`,
    );
  },
});
