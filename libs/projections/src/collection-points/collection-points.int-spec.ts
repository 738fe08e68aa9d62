import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type CollectionPointEvent } from '#domain';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { projectionContext, recordedEvent } from '../testing/recorded-event.js';
import { CreateCollectionPoints1763900001020 } from './collection-points.migrations.js';
import { collectionPointsProjection } from './collection-points.projection.js';

describe('collection points projection', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = () => projectionContext(dataSource);
  const recorded = (event: CollectionPointEvent): RecordedEvent =>
    recordedEvent({
      ...event,
      streamId: `collection-point-${event.data.pointId}`,
      position: ++position,
    });

  beforeAll(async () => {
    database = await projectionTestDatabase({ migrations: [CreateCollectionPoints1763900001020] });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

  it('keeps a closed point closed when the batch that opened it is replayed', async () => {
    const [closing, open] = [randomUUID(), randomUUID()];
    const opened = (pointId: string) =>
      recorded({
        type: 'CollectionPointOpened',
        data: { pointId, organizationId: 'ORG', unitId: 'W1', openedOn: '2023-06-01' },
      });
    const events = [
      opened(closing),
      opened(open),
      recorded({
        type: 'CollectionPointClosed',
        data: {
          pointId: closing,
          organizationId: 'ORG',
          unitId: 'W1',
          openedOn: '2023-06-01',
          closedOn: '2024-10-01',
          reason: 'merged',
        },
      }),
    ];
    await collectionPointsProjection.apply(events, context());
    await collectionPointsProjection.apply(events.slice(0, 2), context());
    expect(
      await dataSource.query(
        `SELECT point_id, organization_id, unit_id, opened_on::text, closed_on::text
           FROM collection_points WHERE point_id = ANY($1) ORDER BY point_id = $2 DESC`,
        [[closing, open], closing],
      ),
    ).toEqual([
      {
        point_id: closing,
        organization_id: 'ORG',
        unit_id: 'W1',
        opened_on: '2023-06-01',
        closed_on: '2024-10-01',
      },
      {
        point_id: open,
        organization_id: 'ORG',
        unit_id: 'W1',
        opened_on: '2023-06-01',
        closed_on: null,
      },
    ]);
  });
});
