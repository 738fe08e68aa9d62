import type { MilestoneEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const MILESTONES_TABLE = 'milestones';
export const MILESTONE_OUTCOMES_TABLE = 'milestone_outcomes';

/**
 * Each milestone as set, and each unit's outcome (fulfilled, on time or late, or waived) with
 * its date. Both are recorded once (the decider refuses a second outcome for a unit), so rows
 * are only ever inserted: a replay finds them there and inserts nothing.
 */
export const milestonesProjection: Projection = {
  name: 'milestones',
  tables: [MILESTONES_TABLE, MILESTONE_OUTCOMES_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const milestones: unknown[][] = [[], [], [], [], [], [], [], [], []];
    const outcomes: unknown[][] = [[], [], [], [], [], []];
    const push = (columns: unknown[][], values: unknown[]) =>
      values.forEach((value, index) => columns[index].push(value));
    for (const event of events) {
      if (!event.streamId.startsWith('milestone-')) continue;
      const { type, data } = event as unknown as MilestoneEvent;
      if (type === 'MilestoneSet') {
        push(milestones, [
          data.milestoneId,
          data.name,
          data.requirement,
          data.deadline,
          data.scopeUnitId,
          JSON.stringify(data.criterion.levels),
          data.criterion.withCollectionPoint,
          data.setOn,
          event.position,
        ]);
      } else if (type === 'MilestoneFulfilled') {
        push(outcomes, [
          data.milestoneId,
          data.unitId,
          'fulfilled',
          data.fulfilledOn,
          data.late,
          event.position,
        ]);
      } else if (type === 'MilestoneWaived') {
        push(outcomes, [
          data.milestoneId,
          data.unitId,
          'waived',
          data.waivedOn,
          false,
          event.position,
        ]);
      }
    }
    if (milestones[0].length > 0) {
      await context.query(
        `INSERT INTO ${context.table(MILESTONES_TABLE)}
           (milestone_id, name, requirement, deadline, scope_unit_id, levels, with_collection_point, set_on, position)
         SELECT milestone_id, name, requirement, deadline, scope_unit_id,
                ARRAY(SELECT jsonb_array_elements_text(levels)), with_collection_point, set_on, position
           FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::jsonb[], $7::boolean[], $8::date[], $9::bigint[])
             AS m (milestone_id, name, requirement, deadline, scope_unit_id, levels, with_collection_point, set_on, position)
         ON CONFLICT (milestone_id) DO NOTHING`,
        milestones,
      );
    }
    if (outcomes[0].length > 0) {
      await context.query(
        `INSERT INTO ${context.table(MILESTONE_OUTCOMES_TABLE)}
           (milestone_id, unit_id, outcome, outcome_on, late, position)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::boolean[], $6::bigint[])
         ON CONFLICT (milestone_id, unit_id) DO NOTHING`,
        outcomes,
      );
    }
  },
};
