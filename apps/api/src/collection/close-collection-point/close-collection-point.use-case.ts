import { collectionPointDecider, collectionPointStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { CloseCollectionPointRequest } from './close-collection-point.request.dto.js';

export const closeCollectionPoint = useCase({
  name: 'CloseCollectionPoint',
  request: CloseCollectionPointRequest,
  roles: WRITERS,
  async execute(transaction, { pointId, closedOn, reason }) {
    await transaction.decide(
      collectionPointDecider,
      collectionPointStream(pointId),
      { type: 'CloseCollectionPoint', pointId, closedOn, reason },
      closedOn,
    );
  },
});
