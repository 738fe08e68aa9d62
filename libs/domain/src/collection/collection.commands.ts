import { type LocalDate } from '../shared/local-date.js';
import { type OrganizationKind } from './collection.events.js';

export type RegisterCollectionOrganization = {
  type: 'RegisterCollectionOrganization';
  organizationId: string;
  name: string;
  kind: OrganizationKind;
  unitId: string;
  registeredOn: LocalDate;
};

export type OpenCollectionPoint = {
  type: 'OpenCollectionPoint';
  pointId: string;
  organizationId: string;
  unitId: string;
  openedOn: LocalDate;
};

export type CloseCollectionPoint = {
  type: 'CloseCollectionPoint';
  pointId: string;
  closedOn: LocalDate;
  reason: string;
};

export type RegisterCollectionAgent = {
  type: 'RegisterCollectionAgent';
  agentId: string;
  name: string;
  registeredOn: LocalDate;
};

export type AssignAgent = {
  type: 'AssignAgent';
  agentId: string;
  organizationId: string;
  pointId: string | null;
  from: LocalDate;
  until: LocalDate | null;
};

/** Ends the agent's latest assignment that has not been ended. */
export type EndAgentAssignment = {
  type: 'EndAgentAssignment';
  agentId: string;
  endedOn: LocalDate;
};

export type CollectionOrganizationCommand = RegisterCollectionOrganization;

export type CollectionPointCommand = OpenCollectionPoint | CloseCollectionPoint;

export type CollectionAgentCommand = RegisterCollectionAgent | AssignAgent | EndAgentAssignment;
