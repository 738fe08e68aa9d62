import { collectionPointDecider, collectionPointStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { activeUnit } from '../../administrative-units/unit-hierarchy.js';
import { registeredOrganization } from '../collection-references.js';
import { OpenCollectionPointRequest } from './open-collection-point.request.dto.js';

export const openCollectionPoint = useCase({
  name: 'OpenCollectionPoint',
  request: OpenCollectionPointRequest,
  roles: WRITERS,
  async execute(transaction, { pointId, organizationId, unitId, openedOn }) {
    await registeredOrganization(transaction, organizationId, 'organizationId');
    await activeUnit(transaction, unitId, 'unitId');
    await transaction.decide(
      collectionPointDecider,
      collectionPointStream(pointId),
      { type: 'OpenCollectionPoint', pointId, organizationId, unitId, openedOn },
      openedOn,
    );
  },
});
