import {
  UnknownEntity,
  administrativeUnitDecider,
  localDateAt,
  publicationStream,
  publishedFigureDecider,
  unitStream,
} from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { RecordPublishedFigureRequest } from './record-published-figure.request.dto.js';

export const recordPublishedFigure = useCase({
  name: 'RecordPublishedFigure',
  request: RecordPublishedFigureRequest,
  roles: WRITERS,
  async execute(transaction, request) {
    const { publicationId, publishedIn, publishedBy, unitId, scheme, measure, date, value } =
      request;
    // A unit merged away since still had its figures published.
    const unit = await transaction.state(administrativeUnitDecider, unitStream(unitId));
    if (unit.status === 'unregistered') throw new UnknownEntity('unit', unitId, 'unitId');
    // One spelling of the instant, so the figures of a publication compare equal.
    const publishedAt = new Date(request.publishedAt).toISOString();
    await transaction.decide(
      publishedFigureDecider,
      publicationStream(publicationId),
      {
        type: 'RecordPublishedFigure',
        publicationId,
        publishedIn,
        publishedAt,
        publishedBy,
        unitId,
        scheme,
        measure,
        date,
        value,
      },
      localDateAt(new Date(publishedAt)),
    );
  },
});
