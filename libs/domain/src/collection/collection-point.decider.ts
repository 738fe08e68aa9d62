import { type Decider } from '../shared/decider.js';
import { AlreadyRecorded, RuleViolation, UnknownEntity } from '../shared/errors.js';
import { type LocalDate } from '../shared/local-date.js';
import { type CollectionPointCommand } from './collection.commands.js';
import { PointClosed, PointOfAnotherOrganization } from './collection.errors.js';
import { type CollectionPointEvent } from './collection.events.js';

export type OpenedPoint = {
  status: 'open' | 'closed';
  pointId: string;
  organizationId: string;
  unitId: string;
  openedOn: LocalDate;
  closedOn: LocalDate | null;
};

export type CollectionPoint = { status: 'unopened' } | OpenedPoint;

export const collectionPointStream = (pointId: string) => `collection-point-${pointId}`;

/** The point, which must have been opened (it may have closed since). */
export function requirePoint(point: CollectionPoint, pointId: string, field: string): OpenedPoint {
  if (point.status === 'unopened') throw new UnknownEntity('collection point', pointId, field);
  return point;
}

/**
 * The point an agent is assigned to must belong to the organization and be open for the whole
 * period: opened by `from`, and if it has closed, only for a period that ends by then.
 */
export function requirePointOpenFor(
  point: CollectionPoint,
  period: { pointId: string; organizationId: string; from: LocalDate; until: LocalDate | null },
  field: string,
): OpenedPoint {
  const opened = requirePoint(point, period.pointId, field);
  if (opened.organizationId !== period.organizationId) {
    throw new PointOfAnotherOrganization(
      opened.pointId,
      opened.organizationId,
      period.organizationId,
      field,
    );
  }
  if (period.from < opened.openedOn) {
    throw new RuleViolation(
      `Collection point '${opened.pointId}' opened on ${opened.openedOn}, after ${period.from}`,
      'from',
    );
  }
  if (opened.closedOn && (period.until === null || period.until > opened.closedOn)) {
    throw new PointClosed(opened.pointId, opened.closedOn, field);
  }
  return opened;
}

function decide(command: CollectionPointCommand, point: CollectionPoint): CollectionPointEvent[] {
  if (command.type === 'OpenCollectionPoint') {
    if (point.status !== 'unopened') {
      throw new AlreadyRecorded('collection point', command.pointId, 'pointId');
    }
    const { pointId, organizationId, unitId, openedOn } = command;
    return [{ type: 'CollectionPointOpened', data: { pointId, organizationId, unitId, openedOn } }];
  }
  const opened = requirePoint(point, command.pointId, 'pointId');
  if (opened.closedOn) throw new PointClosed(opened.pointId, opened.closedOn, 'pointId');
  if (command.closedOn < opened.openedOn) {
    throw new RuleViolation(
      `A point cannot close before it opened (${opened.openedOn})`,
      'closedOn',
    );
  }
  const { pointId, organizationId, unitId, openedOn } = opened;
  return [
    {
      type: 'CollectionPointClosed',
      data: {
        pointId,
        organizationId,
        unitId,
        openedOn,
        closedOn: command.closedOn,
        reason: command.reason,
      },
    },
  ];
}

function evolve(point: CollectionPoint, event: CollectionPointEvent): CollectionPoint {
  switch (event.type) {
    case 'CollectionPointOpened':
      return { status: 'open', ...event.data, closedOn: null };
    case 'CollectionPointClosed':
      return point.status === 'unopened'
        ? point
        : { ...point, status: 'closed', closedOn: event.data.closedOn };
  }
}

export const collectionPointDecider: Decider<
  CollectionPointCommand,
  CollectionPointEvent,
  CollectionPoint
> = { initialState: { status: 'unopened' }, decide, evolve };
