import { type Decider } from '../shared/decider.js';
import { AlreadyRecorded, UnknownEntity } from '../shared/errors.js';
import { type LocalDate } from '../shared/local-date.js';
import { type CollectionOrganizationCommand } from './collection.commands.js';
import { type CollectionOrganizationEvent, type OrganizationKind } from './collection.events.js';

export type RegisteredOrganization = {
  status: 'registered';
  organizationId: string;
  name: string;
  kind: OrganizationKind;
  unitId: string;
  registeredOn: LocalDate;
};

export type CollectionOrganization = { status: 'unregistered' } | RegisteredOrganization;

export const organizationStream = (organizationId: string) => `organization-${organizationId}`;

export function requireOrganization(
  organization: CollectionOrganization,
  organizationId: string,
  field: string,
): RegisteredOrganization {
  if (organization.status === 'unregistered') {
    throw new UnknownEntity('collection organization', organizationId, field);
  }
  return organization;
}

function decide(
  command: CollectionOrganizationCommand,
  organization: CollectionOrganization,
): CollectionOrganizationEvent[] {
  if (organization.status !== 'unregistered') {
    throw new AlreadyRecorded('collection organization', command.organizationId, 'organizationId');
  }
  const { organizationId, name, kind, unitId, registeredOn } = command;
  return [
    {
      type: 'CollectionOrganizationRegistered',
      data: { organizationId, name, kind, unitId, registeredOn },
    },
  ];
}

function evolve(
  _: CollectionOrganization,
  { data }: CollectionOrganizationEvent,
): CollectionOrganization {
  return { status: 'registered', ...data };
}

export const collectionOrganizationDecider: Decider<
  CollectionOrganizationCommand,
  CollectionOrganizationEvent,
  CollectionOrganization
> = { initialState: { status: 'unregistered' }, decide, evolve };
