import { Module } from '@nestjs/common';
import { SearchUnitsHandler } from '#projections';
import { MergeUnitsController } from './merge-units/merge-units.http.controller.js';
import { mergeUnits } from './merge-units/merge-units.use-case.js';
import { MoveUnitController } from './move-unit/move-unit.http.controller.js';
import { moveUnit } from './move-unit/move-unit.use-case.js';
import { RegisterUnitController } from './register-unit/register-unit.http.controller.js';
import { registerUnit } from './register-unit/register-unit.use-case.js';
import { RenameUnitController } from './rename-unit/rename-unit.http.controller.js';
import { renameUnit } from './rename-unit/rename-unit.use-case.js';
import { SearchUnitsController } from './search-units/search-units.http.controller.js';
import { SetDenominatorsController } from './set-denominators/set-denominators.http.controller.js';
import { setDenominators } from './set-denominators/set-denominators.use-case.js';

export const administrativeUnitUseCases = [
  registerUnit,
  renameUnit,
  moveUnit,
  mergeUnits,
  setDenominators,
];

@Module({
  controllers: [
    RegisterUnitController,
    RenameUnitController,
    MoveUnitController,
    MergeUnitsController,
    SetDenominatorsController,
    SearchUnitsController,
  ],
  providers: [SearchUnitsHandler],
})
export class AdministrativeUnitsModule {}
