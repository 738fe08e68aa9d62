import { type Decider } from '../shared/decider.js';
import { AlreadyRecorded, RuleViolation, StateConflict, UnknownEntity } from '../shared/errors.js';
import { type AdministrativeUnitCommand } from './administrative-units.commands.js';
import { UnitMerged } from './administrative-units.errors.js';
import {
  type AdministrativeUnitEvent,
  type DenominatorKind,
} from './administrative-units.events.js';

export type RegisteredUnit = {
  status: 'active' | 'merged';
  unitId: string;
  name: string;
  level: string;
  parentId: string | null;
  mergedInto: string | null;
  denominators: Record<number, Partial<Record<DenominatorKind, number>>>;
};

export type AdministrativeUnit = { status: 'unregistered' } | RegisteredUnit;

export const unitStream = (unitId: string) => `unit-${unitId}`;

/** The unit, which must be registered and not merged away; `field` names the request field. */
export function requireActiveUnit(
  unit: AdministrativeUnit,
  unitId: string,
  field: string,
): RegisteredUnit {
  if (unit.status === 'unregistered') throw new UnknownEntity('unit', unitId, field);
  if (unit.status === 'merged') throw new UnitMerged(unitId, unit.mergedInto ?? '?', field);
  return unit;
}

function decide(
  command: AdministrativeUnitCommand,
  unit: AdministrativeUnit,
): AdministrativeUnitEvent[] {
  if (command.type === 'RegisterUnit') {
    if (unit.status !== 'unregistered') throw new AlreadyRecorded('unit', command.unitId, 'unitId');
    const { unitId, name, level, parentId, effectiveDate } = command;
    return [
      {
        type: 'AdministrativeUnitRegistered',
        data: { unitId, name, level, parentId, effectiveDate },
      },
    ];
  }
  const current = requireActiveUnit(unit, command.unitId, 'unitId');
  switch (command.type) {
    case 'RenameUnit':
      if (current.name === command.name) {
        throw new StateConflict(
          `Unit '${command.unitId}' is already named '${command.name}'`,
          'name',
        );
      }
      return [
        {
          type: 'AdministrativeUnitRenamed',
          data: {
            unitId: command.unitId,
            name: command.name,
            previousName: current.name,
            effectiveDate: command.effectiveDate,
          },
        },
      ];
    case 'MoveUnit':
      if (command.parentId === command.unitId) {
        throw new RuleViolation('A unit cannot be its own parent', 'parentId');
      }
      if (current.parentId === command.parentId) {
        throw new StateConflict(
          `Unit '${command.unitId}' already lies under '${command.parentId}'`,
          'parentId',
        );
      }
      return [
        {
          type: 'AdministrativeUnitMoved',
          data: {
            unitId: command.unitId,
            parentId: command.parentId,
            previousParentId: current.parentId,
            effectiveDate: command.effectiveDate,
          },
        },
      ];
    case 'MergeUnit':
      if (command.intoUnitId === command.unitId) {
        throw new RuleViolation('A unit cannot be merged into itself', 'intoUnitId');
      }
      return [
        {
          type: 'AdministrativeUnitMerged',
          data: {
            unitId: command.unitId,
            intoUnitId: command.intoUnitId,
            effectiveDate: command.effectiveDate,
            decisionRef: command.decisionRef,
          },
        },
      ];
    case 'AbsorbUnits':
      return [
        {
          type: 'AdministrativeUnitsAbsorbed',
          data: {
            unitId: command.unitId,
            mergedUnitIds: command.mergedUnitIds,
            effectiveDate: command.effectiveDate,
            decisionRef: command.decisionRef,
          },
        },
      ];
    case 'SetDenominators': {
      const kinds = Object.entries(command.values) as [DenominatorKind, number][];
      if (kinds.length === 0) {
        throw new RuleViolation('Give at least one denominator', 'population');
      }
      return kinds.map(([kind, value]) => ({
        type: 'UnitDenominatorSet',
        data: { unitId: command.unitId, year: command.year, kind, value, source: command.source },
      }));
    }
  }
}

function evolve(unit: AdministrativeUnit, event: AdministrativeUnitEvent): AdministrativeUnit {
  if (event.type === 'AdministrativeUnitRegistered') {
    const { unitId, name, level, parentId } = event.data;
    return { status: 'active', unitId, name, level, parentId, mergedInto: null, denominators: {} };
  }
  if (unit.status === 'unregistered') return unit;
  switch (event.type) {
    case 'AdministrativeUnitRenamed':
      return { ...unit, name: event.data.name };
    case 'AdministrativeUnitMoved':
      return { ...unit, parentId: event.data.parentId };
    case 'AdministrativeUnitMerged':
      return { ...unit, status: 'merged', mergedInto: event.data.intoUnitId };
    case 'AdministrativeUnitsAbsorbed':
      return unit;
    case 'UnitDenominatorSet': {
      const { year, kind, value } = event.data;
      return {
        ...unit,
        denominators: {
          ...unit.denominators,
          [year]: { ...unit.denominators[year], [kind]: value },
        },
      };
    }
  }
}

export const administrativeUnitDecider: Decider<
  AdministrativeUnitCommand,
  AdministrativeUnitEvent,
  AdministrativeUnit
> = { initialState: { status: 'unregistered' }, decide, evolve };
