import { type DomainEvent } from '../shared/decider.js';
import { type LocalDate } from '../shared/local-date.js';

export type DenominatorKind = 'population' | 'working-age-population' | 'labour-force';

export type AdministrativeUnitRegistered = DomainEvent<
  'AdministrativeUnitRegistered',
  {
    unitId: string;
    name: string;
    /** A free label (province, ward, hamlet...): depth varies and levels are never hard-coded. */
    level: string;
    parentId: string | null;
    effectiveDate: LocalDate;
  }
>;

export type AdministrativeUnitRenamed = DomainEvent<
  'AdministrativeUnitRenamed',
  { unitId: string; name: string; previousName: string; effectiveDate: LocalDate }
>;

export type AdministrativeUnitMoved = DomainEvent<
  'AdministrativeUnitMoved',
  { unitId: string; parentId: string; previousParentId: string | null; effectiveDate: LocalDate }
>;

/** Recorded on each unit that stops existing by a merger. */
export type AdministrativeUnitMerged = DomainEvent<
  'AdministrativeUnitMerged',
  { unitId: string; intoUnitId: string; effectiveDate: LocalDate; decisionRef: string | null }
>;

/** Recorded on the unit that takes over the merged ones, in the same commit. */
export type AdministrativeUnitsAbsorbed = DomainEvent<
  'AdministrativeUnitsAbsorbed',
  { unitId: string; mergedUnitIds: string[]; effectiveDate: LocalDate; decisionRef: string | null }
>;

export type UnitDenominatorSet = DomainEvent<
  'UnitDenominatorSet',
  { unitId: string; year: number; kind: DenominatorKind; value: number; source: string }
>;

export type AdministrativeUnitEvent =
  | AdministrativeUnitRegistered
  | AdministrativeUnitRenamed
  | AdministrativeUnitMoved
  | AdministrativeUnitMerged
  | AdministrativeUnitsAbsorbed
  | UnitDenominatorSet;
