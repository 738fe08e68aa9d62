import { describe, it } from '@jest/globals';
import { specification } from '../testing/specification.js';
import { AlreadyRecorded, RuleViolation, StateConflict, UnknownEntity } from '../shared/errors.js';
import { administrativeUnitDecider } from './administrative-units.decider.js';
import { UnitMerged } from './administrative-units.errors.js';
import { type AdministrativeUnitEvent } from './administrative-units.events.js';

const { given } = specification(administrativeUnitDecider);

const registered: AdministrativeUnitEvent = {
  type: 'AdministrativeUnitRegistered',
  data: {
    unitId: 'HP-LC',
    name: 'Le Chan',
    level: 'district',
    parentId: 'HP',
    effectiveDate: '2024-01-01',
  },
};
const merged: AdministrativeUnitEvent = {
  type: 'AdministrativeUnitMerged',
  data: { unitId: 'HP-LC', intoUnitId: 'HP-X', effectiveDate: '2025-07-01', decisionRef: null },
};

describe('administrative unit decider', () => {
  it('registers a unit under its parent', () => {
    given([])
      .when({
        type: 'RegisterUnit',
        unitId: 'HP-LC',
        name: 'Le Chan',
        level: 'district',
        parentId: 'HP',
        effectiveDate: '2024-01-01',
      })
      .then([registered]);
  });

  it('refuses to register a unit twice', () => {
    given([registered])
      .when({
        type: 'RegisterUnit',
        unitId: 'HP-LC',
        name: 'X',
        level: 'ward',
        parentId: null,
        effectiveDate: '2024-01-01',
      })
      .thenThrows(AlreadyRecorded, /HP-LC/);
  });

  it('renames, keeping the previous name in the event', () => {
    given([registered])
      .when({
        type: 'RenameUnit',
        unitId: 'HP-LC',
        name: 'Le Chan Ward',
        effectiveDate: '2025-07-01',
      })
      .then([
        {
          type: 'AdministrativeUnitRenamed',
          data: {
            unitId: 'HP-LC',
            name: 'Le Chan Ward',
            previousName: 'Le Chan',
            effectiveDate: '2025-07-01',
          },
        },
      ]);
  });

  it('refuses a rename to the current name', () => {
    given([registered])
      .when({ type: 'RenameUnit', unitId: 'HP-LC', name: 'Le Chan', effectiveDate: '2025-07-01' })
      .thenThrows(StateConflict, /already named/);
  });

  it('refuses changes to a unit that was never registered', () => {
    given([])
      .when({ type: 'RenameUnit', unitId: 'NOPE', name: 'X', effectiveDate: '2025-07-01' })
      .thenThrows(UnknownEntity, /NOPE/);
  });

  it('moves a unit to another parent', () => {
    given([registered])
      .when({ type: 'MoveUnit', unitId: 'HP-LC', parentId: 'HP-2', effectiveDate: '2025-07-01' })
      .then([
        {
          type: 'AdministrativeUnitMoved',
          data: {
            unitId: 'HP-LC',
            parentId: 'HP-2',
            previousParentId: 'HP',
            effectiveDate: '2025-07-01',
          },
        },
      ]);
  });

  it('refuses to make a unit its own parent', () => {
    given([registered])
      .when({ type: 'MoveUnit', unitId: 'HP-LC', parentId: 'HP-LC', effectiveDate: '2025-07-01' })
      .thenThrows(RuleViolation, /own parent/);
  });

  it('refuses a move to the parent it already has', () => {
    given([registered])
      .when({ type: 'MoveUnit', unitId: 'HP-LC', parentId: 'HP', effectiveDate: '2025-07-01' })
      .thenThrows(StateConflict, /already lies under/);
  });

  it('merges a unit into another and then refuses changes to it', () => {
    given([registered])
      .when({
        type: 'MergeUnit',
        unitId: 'HP-LC',
        intoUnitId: 'HP-X',
        effectiveDate: '2025-07-01',
        decisionRef: null,
      })
      .then([merged]);
    given([registered, merged])
      .when({ type: 'RenameUnit', unitId: 'HP-LC', name: 'Other', effectiveDate: '2025-08-01' })
      .thenThrows(UnitMerged, /merged into 'HP-X'/);
  });

  it('refuses to merge a unit into itself', () => {
    given([registered])
      .when({
        type: 'MergeUnit',
        unitId: 'HP-LC',
        intoUnitId: 'HP-LC',
        effectiveDate: '2025-07-01',
        decisionRef: null,
      })
      .thenThrows(RuleViolation, /into itself/);
  });

  it('sets one event per denominator with its year and source', () => {
    given([registered])
      .when({
        type: 'SetDenominators',
        unitId: 'HP-LC',
        year: 2024,
        values: { population: 2_100_000, 'labour-force': 1_200_000 },
        source: 'GSO 2024',
      })
      .then([
        {
          type: 'UnitDenominatorSet',
          data: {
            unitId: 'HP-LC',
            year: 2024,
            kind: 'population',
            value: 2_100_000,
            source: 'GSO 2024',
          },
        },
        {
          type: 'UnitDenominatorSet',
          data: {
            unitId: 'HP-LC',
            year: 2024,
            kind: 'labour-force',
            value: 1_200_000,
            source: 'GSO 2024',
          },
        },
      ]);
  });

  it('refuses a denominator command with no value', () => {
    given([registered])
      .when({ type: 'SetDenominators', unitId: 'HP-LC', year: 2024, values: {}, source: 'GSO' })
      .thenThrows(RuleViolation, /at least one/);
  });
});
