import { type LocalDate } from '../shared/local-date.js';
import { type MilestoneCriterion } from './milestones.events.js';

export type SetMilestone = {
  type: 'SetMilestone';
  milestoneId: string;
  name: string;
  requirement: string;
  deadline: LocalDate;
  scopeUnitId: string;
  criterion: MilestoneCriterion;
  setOn: LocalDate;
};

/** The unit as the hierarchy knows it when the command is decided. */
export type UnitInScope = {
  unitId: string;
  level: string;
  /** The unit's id, then its parent's, up to the root. */
  line: string[];
};

export type FulfilMilestone = {
  type: 'FulfilMilestone';
  milestoneId: string;
  unit: UnitInScope;
  fulfilledOn: LocalDate;
  parties: string[];
  documentRef: string;
};

export type WaiveMilestone = {
  type: 'WaiveMilestone';
  milestoneId: string;
  unit: UnitInScope;
  reason: string;
  waivedOn: LocalDate;
};

export type MilestoneCommand = SetMilestone | FulfilMilestone | WaiveMilestone;
