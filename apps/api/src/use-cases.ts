import { administrativeUnitUseCases } from './administrative-units/administrative-units.module.js';
import { collectionUseCases } from './collection/collection.module.js';
import { type UseCase } from './ledger/use-case.js';
import { participationUseCases } from './participation/participation.module.js';

/** Every command a user can record, by the name imports use. */
export const useCases: ReadonlyMap<string, UseCase> = new Map(
  [...administrativeUnitUseCases, ...collectionUseCases, ...participationUseCases].map(
    (useCase) => [useCase.name, useCase as UseCase],
  ),
);
