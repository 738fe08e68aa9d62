import { type RegisteredAgent, assignmentOn } from '../collection/collection-agent.decider.js';
import { type OpenedPoint } from '../collection/collection-point.decider.js';
import { PointOfAnotherOrganization } from '../collection/collection.errors.js';
import { RuleViolation } from '../shared/errors.js';
import { type LocalDate } from '../shared/local-date.js';
import { type Attribution } from './participant.events.js';

/**
 * Whom a participation fact on `date` is credited to, from what the request names: the
 * organization it names, else the one the agent was assigned to that day, else the point's.
 * Whatever is named must agree on the organization.
 */
export function attribute({
  date,
  organizationId,
  agent,
  point,
}: {
  date: LocalDate;
  organizationId?: string | null;
  agent?: RegisteredAgent;
  point?: OpenedPoint;
}): Attribution {
  const assignment = agent && assignmentOn(agent, date);
  const organization =
    organizationId ?? assignment?.organizationId ?? point?.organizationId ?? null;
  if (agent && assignment && assignment.organizationId !== organization) {
    throw new RuleViolation(
      `Agent '${agent.agentId}' worked for '${assignment.organizationId}' on ${date}, ` +
        `not for '${organization}'`,
      'agentId',
    );
  }
  if (point && point.organizationId !== organization) {
    throw new PointOfAnotherOrganization(
      point.pointId,
      point.organizationId,
      organization,
      'pointId',
    );
  }
  return {
    organizationId: organization,
    agentId: agent?.agentId ?? null,
    pointId: point?.pointId ?? assignment?.pointId ?? null,
  };
}

/**
 * The attribution a request names, completed from an earlier one (the enrollment's): a
 * request that names no organization stays with the earlier organization, and keeps its
 * agent and point unless it names its own.
 */
export function inherit(named: Attribution, earlier: Attribution): Attribution {
  const organizationId = named.organizationId ?? earlier.organizationId;
  const same = organizationId === earlier.organizationId;
  return {
    organizationId,
    agentId: named.agentId ?? (same ? earlier.agentId : null),
    pointId: named.pointId ?? (same ? earlier.pointId : null),
  };
}
