import { type DomainEvent } from '../shared/decider.js';
import { type LocalDate } from '../shared/local-date.js';

export const ORGANIZATION_KINDS = ['post-office', 'cooperative', 'other'] as const;

export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export type CollectionOrganizationRegistered = DomainEvent<
  'CollectionOrganizationRegistered',
  {
    organizationId: string;
    name: string;
    kind: OrganizationKind;
    /** The province (or city) it serves. */
    unitId: string;
    registeredOn: LocalDate;
  }
>;

export type CollectionPointOpened = DomainEvent<
  'CollectionPointOpened',
  {
    pointId: string;
    organizationId: string;
    /** The commune (or ward, town) where the point is. */
    unitId: string;
    openedOn: LocalDate;
  }
>;

export type CollectionPointClosed = DomainEvent<
  'CollectionPointClosed',
  {
    pointId: string;
    organizationId: string;
    unitId: string;
    openedOn: LocalDate;
    closedOn: LocalDate;
    reason: string;
  }
>;

export type CollectionAgentRegistered = DomainEvent<
  'CollectionAgentRegistered',
  { agentId: string; name: string; registeredOn: LocalDate }
>;

/** `until`, when given, is the planned last day; the assignment runs open-ended otherwise. */
export type AgentAssigned = DomainEvent<
  'AgentAssigned',
  {
    agentId: string;
    organizationId: string;
    pointId: string | null;
    from: LocalDate;
    until: LocalDate | null;
  }
>;

/** `endedOn` is the last day the agent worked under the assignment. */
export type AgentAssignmentEnded = DomainEvent<
  'AgentAssignmentEnded',
  {
    agentId: string;
    organizationId: string;
    pointId: string | null;
    from: LocalDate;
    endedOn: LocalDate;
  }
>;

export type CollectionOrganizationEvent = CollectionOrganizationRegistered;

export type CollectionPointEvent = CollectionPointOpened | CollectionPointClosed;

export type CollectionAgentEvent = CollectionAgentRegistered | AgentAssigned | AgentAssignmentEnded;
