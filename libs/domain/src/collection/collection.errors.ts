import { type LocalDate } from '../shared/local-date.js';
import { RuleViolation, StateConflict } from '../shared/errors.js';

export class PointClosed extends StateConflict {
  constructor(pointId: string, closedOn: LocalDate, field?: string) {
    super(`Collection point '${pointId}' closed on ${closedOn}`, field);
  }
}

export class PointOfAnotherOrganization extends RuleViolation {
  constructor(pointId: string, ownerId: string, organizationId: string | null, field?: string) {
    super(
      `Collection point '${pointId}' belongs to organization '${ownerId}', ` +
        (organizationId ? `not '${organizationId}'` : 'which the request does not name'),
      field,
    );
  }
}

export class OverlappingAssignment extends StateConflict {
  constructor(agentId: string, organizationId: string, from: LocalDate, lastDay: LocalDate | null) {
    super(
      `Agent '${agentId}' is already assigned to '${organizationId}' from ${from} ` +
        (lastDay ? `to ${lastDay}` : 'with no end') +
        ': end that assignment first or choose a period that does not overlap it',
      'from',
    );
  }
}

export class NoOpenAssignment extends StateConflict {
  constructor(agentId: string) {
    super(`Agent '${agentId}' has no assignment left to end`, 'agentId');
  }
}
