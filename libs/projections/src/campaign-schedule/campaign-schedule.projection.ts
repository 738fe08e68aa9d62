import type { CampaignEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const CAMPAIGN_SCHEDULE_TABLE = 'campaign_schedule';

export type CampaignScheduleStatus = 'active' | 'ended' | 'closed' | 'cancelled';

/** What a batch changes about one campaign; absent fields keep their stored value. */
type Change = { endDate?: string; status?: CampaignScheduleStatus; position: number };

const statusAfter: Partial<Record<CampaignEvent['type'], CampaignScheduleStatus>> = {
  CampaignLaunched: 'active',
  CampaignClosedEarly: 'closed',
  CampaignCancelled: 'cancelled',
  CampaignEnded: 'ended',
};

function fold(events: RecordedEvent[]): {
  launched: Map<string, Change>;
  changed: Map<string, Change>;
} {
  const launched = new Map<string, Change>();
  const changed = new Map<string, Change>();
  for (const event of events) {
    const type = event.type as CampaignEvent['type'];
    if (!event.streamId.startsWith('campaign-')) continue;
    const data = event.data as CampaignEvent['data'];
    const rows = type === 'CampaignLaunched' || launched.has(data.campaignId) ? launched : changed;
    const row = rows.get(data.campaignId) ?? { position: 0 };
    if (type === 'CampaignLaunched' || type === 'CampaignExtended') {
      row.endDate = (data as { endDate: string }).endDate;
    }
    row.status = statusAfter[type] ?? row.status;
    row.position = event.position;
    rows.set(data.campaignId, row);
  }
  return { launched, changed };
}

/**
 * Each campaign's end date and status, so the scheduler can find the active campaigns whose
 * end date has passed without reading every campaign stream. `last_position` makes a replayed
 * batch change nothing.
 */
export const campaignScheduleProjection: Projection = {
  name: 'campaign-schedule',
  tables: [CAMPAIGN_SCHEDULE_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const table = context.table(CAMPAIGN_SCHEDULE_TABLE);
    const { launched, changed } = fold(events);
    const columns = (rows: Map<string, Change>) => [
      [...rows.keys()],
      [...rows.values()].map(({ endDate }) => endDate ?? null),
      [...rows.values()].map(({ status }) => status ?? null),
      [...rows.values()].map(({ position }) => position),
    ];
    if (launched.size > 0) {
      await context.query(
        `INSERT INTO ${table} AS s (campaign_id, end_date, status, last_position)
         SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::bigint[])
         ON CONFLICT (campaign_id) DO UPDATE
           SET end_date = excluded.end_date, status = excluded.status,
               last_position = excluded.last_position
           WHERE s.last_position < excluded.last_position`,
        columns(launched),
      );
    }
    if (changed.size > 0) {
      await context.query(
        `UPDATE ${table} AS s
            SET end_date = coalesce(c.end_date, s.end_date), status = coalesce(c.status, s.status),
                last_position = c.last_position
           FROM unnest($1::text[], $2::date[], $3::text[], $4::bigint[])
                AS c (campaign_id, end_date, status, last_position)
          WHERE s.campaign_id = c.campaign_id AND s.last_position < c.last_position`,
        columns(changed),
      );
    }
  },
};
