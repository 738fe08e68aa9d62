import type { CollectionPointEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const COLLECTION_POINTS_TABLE = 'collection_points';

type Point = {
  organizationId: string;
  unitId: string;
  openedOn: string;
  closedOn: string | null;
  position: number;
};

/**
 * Each collection point: its organization, its unit and the dates it opened and closed, so a
 * milestone can tell which units had a point open on a date. Both events carry every field,
 * so the latest event of a point in a batch is its whole row; `last_position` makes a replayed
 * batch change nothing.
 */
export const collectionPointsProjection: Projection = {
  name: 'collection-points',
  tables: [COLLECTION_POINTS_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const points = new Map<string, Point>();
    for (const event of events) {
      const { type, data } = event as unknown as CollectionPointEvent;
      if (type !== 'CollectionPointOpened' && type !== 'CollectionPointClosed') continue;
      points.set(data.pointId, {
        organizationId: data.organizationId,
        unitId: data.unitId,
        openedOn: data.openedOn,
        closedOn: type === 'CollectionPointClosed' ? data.closedOn : null,
        position: event.position,
      });
    }
    if (points.size === 0) return;
    const rows = [...points.values()];
    await context.query(
      `INSERT INTO ${context.table(COLLECTION_POINTS_TABLE)} AS p
         (point_id, organization_id, unit_id, opened_on, closed_on, last_position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[], $6::bigint[])
       ON CONFLICT (point_id) DO UPDATE
         SET organization_id = excluded.organization_id, unit_id = excluded.unit_id,
             opened_on = excluded.opened_on, closed_on = excluded.closed_on,
             last_position = excluded.last_position
         WHERE p.last_position < excluded.last_position`,
      [
        [...points.keys()],
        rows.map((row) => row.organizationId),
        rows.map((row) => row.unitId),
        rows.map((row) => row.openedOn),
        rows.map((row) => row.closedOn),
        rows.map((row) => row.position),
      ],
    );
  },
};
