import { collectionOrganizationDecider, organizationStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { activeUnit } from '../../administrative-units/unit-hierarchy.js';
import { RegisterOrganizationRequest } from './register-organization.request.dto.js';

export const registerOrganization = useCase({
  name: 'RegisterCollectionOrganization',
  request: RegisterOrganizationRequest,
  roles: WRITERS,
  async execute(transaction, { organizationId, name, kind, unitId, registeredOn }) {
    await activeUnit(transaction, unitId, 'unitId');
    await transaction.decide(
      collectionOrganizationDecider,
      organizationStream(organizationId),
      { type: 'RegisterCollectionOrganization', organizationId, name, kind, unitId, registeredOn },
      registeredOn,
    );
  },
});
