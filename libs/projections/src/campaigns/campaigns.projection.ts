import type { CampaignEvent, CampaignObjective } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const CAMPAIGNS_TABLE = 'campaigns';

export const CAMPAIGN_STATUSES = ['active', 'ended', 'closed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** What a batch sets on one campaign; absent fields keep their stored value. */
type Change = {
  name?: string;
  startDate?: string;
  plannedEndDate?: string;
  endDate?: string;
  closedOn?: string;
  cancelledOn?: string;
  status?: CampaignStatus;
  scopeUnitIds?: string[];
  objectives?: CampaignObjective[];
  launchedPosition?: number;
  position: number;
};

function fold(events: RecordedEvent[]) {
  const launched = new Map<string, Change>();
  const changed = new Map<string, Change>();
  for (const event of events) {
    if (!event.streamId.startsWith('campaign-')) continue;
    const { type, data } = event as unknown as CampaignEvent;
    const rows = type === 'CampaignLaunched' || launched.has(data.campaignId) ? launched : changed;
    const row: Change = rows.get(data.campaignId) ?? { position: 0 };
    switch (type) {
      case 'CampaignLaunched':
        Object.assign(row, {
          name: data.name,
          startDate: data.startDate,
          plannedEndDate: data.endDate,
          endDate: data.endDate,
          status: 'active',
          scopeUnitIds: data.scopeUnitIds,
          objectives: data.objectives,
          launchedPosition: event.position,
        });
        break;
      case 'CampaignExtended':
        row.endDate = data.endDate;
        break;
      case 'CampaignClosedEarly':
        Object.assign(row, { closedOn: data.closedOn, status: 'closed' });
        break;
      case 'CampaignCancelled':
        Object.assign(row, { cancelledOn: data.cancelledOn, status: 'cancelled' });
        break;
      case 'CampaignEnded':
        row.status = 'ended';
        break;
      default:
        continue;
    }
    row.position = event.position;
    rows.set(data.campaignId, row);
  }
  return { launched, changed };
}

/**
 * Each campaign as launched, with its current end date, status and the date it was closed or
 * cancelled: what campaign progress reads its window, scope and objectives from.
 * `last_position` makes a replayed batch change nothing.
 */
export const campaignsProjection: Projection = {
  name: 'campaigns',
  tables: [CAMPAIGNS_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const table = context.table(CAMPAIGNS_TABLE);
    const { launched, changed } = fold(events);
    const columns = (rows: Map<string, Change>) => {
      const values = [...rows.values()];
      return [
        [...rows.keys()],
        values.map((row) => row.name ?? null),
        values.map((row) => row.startDate ?? null),
        values.map((row) => row.plannedEndDate ?? null),
        values.map((row) => row.endDate ?? null),
        values.map((row) => row.closedOn ?? null),
        values.map((row) => row.cancelledOn ?? null),
        values.map((row) => row.status ?? null),
        values.map((row) => JSON.stringify(row.scopeUnitIds ?? null)),
        values.map((row) => JSON.stringify(row.objectives ?? null)),
        values.map((row) => row.launchedPosition ?? null),
        values.map((row) => row.position),
      ];
    };
    const unnest = `unnest($1::text[], $2::text[], $3::date[], $4::date[], $5::date[], $6::date[], $7::date[],
                           $8::text[], $9::jsonb[], $10::jsonb[], $11::bigint[], $12::bigint[])
        AS c (campaign_id, name, start_date, planned_end_date, end_date, closed_on, cancelled_on,
              status, scope_unit_ids, objectives, launched_position, last_position)`;
    if (launched.size > 0) {
      await context.query(
        `INSERT INTO ${table} AS t (campaign_id, name, start_date, planned_end_date, end_date, closed_on,
                                   cancelled_on, status, scope_unit_ids, objectives, launched_position, last_position)
         SELECT campaign_id, name, start_date, planned_end_date, end_date, closed_on, cancelled_on, status,
                ARRAY(SELECT jsonb_array_elements_text(scope_unit_ids)), objectives, launched_position, last_position
           FROM ${unnest}
         ON CONFLICT (campaign_id) DO UPDATE
           SET name = excluded.name, start_date = excluded.start_date,
               planned_end_date = excluded.planned_end_date, end_date = excluded.end_date,
               closed_on = excluded.closed_on, cancelled_on = excluded.cancelled_on,
               status = excluded.status, scope_unit_ids = excluded.scope_unit_ids,
               objectives = excluded.objectives, launched_position = excluded.launched_position,
               last_position = excluded.last_position
           WHERE t.last_position < excluded.last_position`,
        columns(launched),
      );
    }
    if (changed.size > 0) {
      await context.query(
        `UPDATE ${table} AS t
            SET end_date = coalesce(c.end_date, t.end_date),
                closed_on = coalesce(c.closed_on, t.closed_on),
                cancelled_on = coalesce(c.cancelled_on, t.cancelled_on),
                status = coalesce(c.status, t.status),
                last_position = c.last_position
           FROM ${unnest}
          WHERE t.campaign_id = c.campaign_id AND t.last_position < c.last_position`,
        columns(changed),
      );
    }
  },
};
