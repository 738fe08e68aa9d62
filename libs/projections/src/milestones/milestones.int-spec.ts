import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type MilestoneEvent } from '#domain';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { projectionContext, recordedEvent } from '../testing/recorded-event.js';
import { CreateMilestones1763900001030 } from './milestones.migrations.js';
import { milestonesProjection } from './milestones.projection.js';

describe('milestones projection', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = () => projectionContext(dataSource);
  const recorded = (event: MilestoneEvent): RecordedEvent =>
    recordedEvent({
      ...event,
      streamId: `milestone-${event.data.milestoneId}`,
      position: ++position,
    });

  beforeAll(async () => {
    database = await projectionTestDatabase({ migrations: [CreateMilestones1763900001030] });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

  it('keeps the milestone and one outcome per unit, whatever batches are replayed', async () => {
    const milestoneId = randomUUID();
    const fulfilled = (unitId: string, fulfilledOn: string) =>
      recorded({
        type: 'MilestoneFulfilled',
        data: {
          milestoneId,
          unitId,
          fulfilledOn,
          parties: ['a', 'b'],
          documentRef: `doc-${unitId}`,
          deadline: '2024-10-20',
          late: fulfilledOn > '2024-10-20',
        },
      });
    const events = [
      recorded({
        type: 'MilestoneSet',
        data: {
          milestoneId,
          name: 'Three-party program',
          requirement: 'sign',
          deadline: '2024-10-20',
          scopeUnitId: 'HP',
          criterion: { levels: ['ward', 'commune'], withCollectionPoint: true },
          setOn: '2024-09-25',
        },
      }),
      fulfilled('W1', '2024-10-02'),
      fulfilled('W2', '2024-10-24'),
      recorded({
        type: 'MilestoneWaived',
        data: { milestoneId, unitId: 'W3', reason: 'merging', waivedOn: '2024-10-10' },
      }),
    ];
    await milestonesProjection.apply(events.slice(0, 2), context());
    await milestonesProjection.apply(events, context());
    await milestonesProjection.apply(events.slice(1, 3), context());
    expect(
      await dataSource.query(
        `SELECT name, deadline::text, scope_unit_id, levels, with_collection_point, set_on::text
           FROM milestones WHERE milestone_id = $1`,
        [milestoneId],
      ),
    ).toEqual([
      {
        name: 'Three-party program',
        deadline: '2024-10-20',
        scope_unit_id: 'HP',
        levels: ['ward', 'commune'],
        with_collection_point: true,
        set_on: '2024-09-25',
      },
    ]);
    expect(
      await dataSource.query(
        `SELECT unit_id, outcome, outcome_on::text, late FROM milestone_outcomes
          WHERE milestone_id = $1 ORDER BY unit_id`,
        [milestoneId],
      ),
    ).toEqual([
      { unit_id: 'W1', outcome: 'fulfilled', outcome_on: '2024-10-02', late: false },
      { unit_id: 'W2', outcome: 'fulfilled', outcome_on: '2024-10-24', late: true },
      { unit_id: 'W3', outcome: 'waived', outcome_on: '2024-10-10', late: false },
    ]);
  });
});
