import { alertUseCases } from './alerts/alerts.module.js';
import { administrativeUnitUseCases } from './administrative-units/administrative-units.module.js';
import { campaignUseCases } from './campaigns/campaigns.module.js';
import { collectionUseCases } from './collection/collection.module.js';
import { debtUseCases } from './debt/debt.module.js';
import { type UseCase } from './ledger/use-case.js';
import { milestoneUseCases } from './milestones/milestones.module.js';
import { participationUseCases } from './participation/participation.module.js';
import { planUseCases } from './plans/plans.module.js';
import { publishedFigureUseCases } from './published-figures/published-figures.module.js';

/** Every command a user can record, by the name imports use. */
export const useCases: ReadonlyMap<string, UseCase> = new Map(
  [
    ...administrativeUnitUseCases,
    ...collectionUseCases,
    ...participationUseCases,
    ...planUseCases,
    ...debtUseCases,
    ...campaignUseCases,
    ...milestoneUseCases,
    ...publishedFigureUseCases,
    ...alertUseCases,
  ].map((useCase) => [useCase.name, useCase as UseCase]),
);
