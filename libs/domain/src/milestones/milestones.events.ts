import { type DomainEvent } from '../shared/decider.js';
import { type LocalDate } from '../shared/local-date.js';

/**
 * Which units under the scope must meet the requirement: those at one of `levels` (any level
 * when empty), and only those with a collection point when `withCollectionPoint`.
 */
export type MilestoneCriterion = { levels: string[]; withCollectionPoint: boolean };

export type MilestoneSet = DomainEvent<
  'MilestoneSet',
  {
    milestoneId: string;
    name: string;
    requirement: string;
    deadline: LocalDate;
    scopeUnitId: string;
    criterion: MilestoneCriterion;
    setOn: LocalDate;
  }
>;

export type MilestoneFulfilled = DomainEvent<
  'MilestoneFulfilled',
  {
    milestoneId: string;
    unitId: string;
    fulfilledOn: LocalDate;
    /** Who signed, e.g. the collection organization, the insurance office, the People's Committee. */
    parties: string[];
    documentRef: string;
    deadline: LocalDate;
    /** Fulfilled after the deadline. */
    late: boolean;
  }
>;

/** The unit is excused from the requirement and no longer counts as required. */
export type MilestoneWaived = DomainEvent<
  'MilestoneWaived',
  { milestoneId: string; unitId: string; reason: string; waivedOn: LocalDate }
>;

export type MilestoneEvent = MilestoneSet | MilestoneFulfilled | MilestoneWaived;
