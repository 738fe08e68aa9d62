import { type LocalDate } from '../shared/local-date.js';
import { type DenominatorKind } from './administrative-units.events.js';

export type RegisterUnit = {
  type: 'RegisterUnit';
  unitId: string;
  name: string;
  level: string;
  parentId: string | null;
  effectiveDate: LocalDate;
};

export type RenameUnit = {
  type: 'RenameUnit';
  unitId: string;
  name: string;
  effectiveDate: LocalDate;
};

export type MoveUnit = {
  type: 'MoveUnit';
  unitId: string;
  parentId: string;
  effectiveDate: LocalDate;
};

/** Decided on each merged unit. */
export type MergeUnit = {
  type: 'MergeUnit';
  unitId: string;
  intoUnitId: string;
  effectiveDate: LocalDate;
  decisionRef: string | null;
};

/** Decided on the unit that takes the merged ones over. */
export type AbsorbUnits = {
  type: 'AbsorbUnits';
  unitId: string;
  mergedUnitIds: string[];
  effectiveDate: LocalDate;
  decisionRef: string | null;
};

export type SetDenominators = {
  type: 'SetDenominators';
  unitId: string;
  year: number;
  values: Partial<Record<DenominatorKind, number>>;
  source: string;
};

export type AdministrativeUnitCommand =
  RegisterUnit | RenameUnit | MoveUnit | MergeUnit | AbsorbUnits | SetDenominators;
