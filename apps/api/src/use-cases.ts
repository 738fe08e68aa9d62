import { administrativeUnitUseCases } from './administrative-units/administrative-units.module.js';
import { type UseCase } from './ledger/use-case.js';

/** Every command a user can record, by the name imports use. */
export const useCases: ReadonlyMap<string, UseCase> = new Map(
  [...administrativeUnitUseCases].map((useCase) => [useCase.name, useCase as UseCase]),
);
