import { describe, expect, it } from '@jest/globals';
import { specification } from '../testing/specification.js';
import { AlreadyRecorded, UnknownEntity } from '../shared/errors.js';
import {
  collectionOrganizationDecider,
  organizationStream,
  requireOrganization,
} from './collection-organization.decider.js';
import { type CollectionOrganizationEvent } from './collection.events.js';

const { given } = specification(collectionOrganizationDecider);

const registered: CollectionOrganizationEvent = {
  type: 'CollectionOrganizationRegistered',
  data: {
    organizationId: 'VNPOST-HP',
    name: 'Hai Phong Post Office',
    kind: 'post-office',
    unitId: 'HP',
    registeredOn: '2024-01-02',
  },
};

describe('collection organization decider', () => {
  it('registers an organization with the province it serves', () => {
    given([])
      .when({ type: 'RegisterCollectionOrganization', ...registered.data })
      .then([registered]);
  });

  it('refuses to register the same organization twice', () => {
    given([registered])
      .when({ type: 'RegisterCollectionOrganization', ...registered.data, name: 'Other' })
      .thenThrows(AlreadyRecorded, /VNPOST-HP/);
  });

  it('names the field of an organization that was never registered', () => {
    expect(() =>
      requireOrganization(collectionOrganizationDecider.initialState, 'NOPE', 'organizationId'),
    ).toThrow(new UnknownEntity('collection organization', 'NOPE', 'organizationId'));
    expect(organizationStream('VNPOST-HP')).toBe('organization-VNPOST-HP');
  });
});
