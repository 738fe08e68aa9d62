import type { PlanEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const PLANS_TABLE = 'plans';
export const PLAN_TARGETS_TABLE = 'plan_targets';
export const PLAN_ALLOCATIONS_TABLE = 'plan_allocations';

/**
 * Each plan, and every target it had with the date it took effect (the assignment from the
 * plan's start, each revision from its `effectiveFrom`), so the plan in force at any date is
 * the latest target effective on or before it, and the original stays readable. Allocations
 * keep their history too. Rows are keyed by the event's position: a replay inserts nothing.
 */
export const plansProjection: Projection = {
  name: 'plans',
  tables: [PLANS_TABLE, PLAN_TARGETS_TABLE, PLAN_ALLOCATIONS_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const plans: unknown[][] = [[], [], [], [], [], [], [], [], []];
    const targets: unknown[][] = [[], [], [], [], [], [], []];
    const allocations: unknown[][] = [[], [], [], [], [], [], []];
    const push = (columns: unknown[][], values: unknown[]) =>
      values.forEach((value, index) => columns[index].push(value));
    for (const event of events) {
      if (!event.streamId.startsWith('plan-')) continue;
      const { type, data } = event as unknown as PlanEvent;
      if (type === 'PlanAssigned') {
        push(plans, [
          data.planId,
          data.unitId,
          data.scheme,
          data.metric,
          data.year,
          data.startDate,
          data.endDate,
          data.target,
          event.position,
        ]);
        push(targets, [
          data.planId,
          event.position,
          data.startDate,
          data.target,
          null,
          'assigned',
          data.decisionRef,
        ]);
      } else if (type === 'PlanRevised') {
        push(targets, [
          data.planId,
          event.position,
          data.effectiveFrom,
          data.target,
          data.previousTarget,
          data.reason,
          data.decisionRef,
        ]);
      } else if (type === 'PlanAllocated') {
        push(allocations, [
          data.planId,
          event.position,
          data.recipientKind,
          data.recipientId,
          data.target,
          data.previousTarget,
          data.allocatedOn,
        ]);
      }
    }
    if (plans[0].length > 0) {
      await context.query(
        `INSERT INTO ${context.table(PLANS_TABLE)}
           (plan_id, unit_id, scheme, metric, year, start_date, end_date, original_target, position)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::date[], $7::date[], $8::bigint[], $9::bigint[])
         ON CONFLICT (plan_id) DO NOTHING`,
        plans,
      );
    }
    if (targets[0].length > 0) {
      await context.query(
        `INSERT INTO ${context.table(PLAN_TARGETS_TABLE)}
           (plan_id, position, effective_from, target, previous_target, reason, decision_ref)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::date[], $4::bigint[], $5::bigint[], $6::text[], $7::text[])
         ON CONFLICT (plan_id, position) DO NOTHING`,
        targets,
      );
    }
    if (allocations[0].length > 0) {
      await context.query(
        `INSERT INTO ${context.table(PLAN_ALLOCATIONS_TABLE)}
           (plan_id, position, recipient_kind, recipient_id, target, previous_target, allocated_on)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::date[])
         ON CONFLICT (plan_id, position) DO NOTHING`,
        allocations,
      );
    }
  },
};
