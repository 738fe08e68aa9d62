import { describe, expect, it } from '@jest/globals';
import { specification } from '../testing/specification.js';
import { fold } from '../shared/decider.js';
import { AlreadyRecorded, RuleViolation, UnknownEntity } from '../shared/errors.js';
import { collectionPointDecider, requirePointOpenFor } from './collection-point.decider.js';
import { PointClosed, PointOfAnotherOrganization } from './collection.errors.js';
import { type CollectionPointEvent } from './collection.events.js';

const { given } = specification(collectionPointDecider);

const opened: CollectionPointEvent = {
  type: 'CollectionPointOpened',
  data: { pointId: 'P-LC-1', organizationId: 'VNPOST-HP', unitId: 'HP-LC', openedOn: '2024-03-01' },
};
const closed: CollectionPointEvent = {
  type: 'CollectionPointClosed',
  data: { ...opened.data, closedOn: '2024-12-31', reason: 'merged with P-LC-2' },
};

describe('collection point decider', () => {
  it('opens a point of an organization in a commune', () => {
    given([])
      .when({ type: 'OpenCollectionPoint', ...opened.data })
      .then([opened]);
  });

  it('refuses to open the same point twice', () => {
    given([opened])
      .when({ type: 'OpenCollectionPoint', ...opened.data })
      .thenThrows(AlreadyRecorded, /P-LC-1/);
  });

  it('closes a point, carrying its organization and commune for the read side', () => {
    given([opened])
      .when({
        type: 'CloseCollectionPoint',
        pointId: 'P-LC-1',
        closedOn: '2024-12-31',
        reason: 'merged with P-LC-2',
      })
      .then([closed]);
  });

  it('refuses to close a point before the day it opened', () => {
    given([opened])
      .when({
        type: 'CloseCollectionPoint',
        pointId: 'P-LC-1',
        closedOn: '2024-02-28',
        reason: 'x',
      })
      .thenThrows(RuleViolation, /before it opened \(2024-03-01\)/);
  });

  it('lets a point close on the day it opened', () => {
    given([opened])
      .when({
        type: 'CloseCollectionPoint',
        pointId: 'P-LC-1',
        closedOn: '2024-03-01',
        reason: 'x',
      })
      .then([{ ...closed, data: { ...closed.data, closedOn: '2024-03-01', reason: 'x' } }]);
  });

  it('refuses to close a point twice', () => {
    given([opened, closed])
      .when({
        type: 'CloseCollectionPoint',
        pointId: 'P-LC-1',
        closedOn: '2025-01-31',
        reason: 'x',
      })
      .thenThrows(PointClosed, /closed on 2024-12-31/);
  });

  it('refuses to close a point that was never opened', () => {
    given([])
      .when({ type: 'CloseCollectionPoint', pointId: 'NOPE', closedOn: '2025-01-31', reason: 'x' })
      .thenThrows(UnknownEntity, /collection point 'NOPE'/);
  });

  describe('is open for an assignment', () => {
    const period = {
      pointId: 'P-LC-1',
      organizationId: 'VNPOST-HP',
      from: '2024-03-01',
      until: null,
    };

    it('when it belongs to the organization and opened by the first day', () => {
      expect(
        requirePointOpenFor(fold(collectionPointDecider, [opened]), period, 'pointId'),
      ).toEqual(expect.objectContaining({ pointId: 'P-LC-1', status: 'open' }));
    });

    it('not when it belongs to another organization', () => {
      const point = fold(collectionPointDecider, [opened]);
      expect(() =>
        requirePointOpenFor(point, { ...period, organizationId: 'COOP-1' }, 'pointId'),
      ).toThrow(PointOfAnotherOrganization);
    });

    it('not before it opened', () => {
      const point = fold(collectionPointDecider, [opened]);
      expect(() =>
        requirePointOpenFor(point, { ...period, from: '2024-02-01' }, 'pointId'),
      ).toThrow(/opened on 2024-03-01, after 2024-02-01/);
    });

    it('not after it closed, but for a past period that ended by its closing', () => {
      const point = fold(collectionPointDecider, [opened, closed]);
      expect(() => requirePointOpenFor(point, period, 'pointId')).toThrow(PointClosed);
      expect(() =>
        requirePointOpenFor(point, { ...period, until: '2025-01-01' }, 'pointId'),
      ).toThrow(PointClosed);
      expect(
        requirePointOpenFor(point, { ...period, until: '2024-12-31' }, 'pointId').pointId,
      ).toBe('P-LC-1');
    });
  });
});
