import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type CampaignEvent } from '#domain';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { projectionContext, recordedEvent } from '../testing/recorded-event.js';
import { CreateCampaignSchedule1763900000200 } from './campaign-schedule.migrations.js';
import { campaignScheduleProjection } from './campaign-schedule.projection.js';
import { FindDueCampaigns, FindDueCampaignsHandler } from './find-due-campaigns.query.js';

type Row = { campaign_id: string; end_date: string; status: string };

describe('campaign schedule projection', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = () => projectionContext(dataSource);
  const recorded = (event: CampaignEvent): RecordedEvent =>
    recordedEvent({
      ...event,
      streamId: `campaign-${event.data.campaignId}`,
      position: ++position,
    });
  const launched = (campaignId: string, endDate: string) =>
    recorded({
      type: 'CampaignLaunched',
      data: {
        campaignId,
        name: campaignId,
        startDate: '2025-12-01',
        endDate,
        scopeUnitIds: ['DN'],
        objectives: [],
      },
    });
  const rows = async (ids: string[]): Promise<Row[]> =>
    dataSource.query(
      `SELECT campaign_id, end_date::text, status FROM campaign_schedule
        WHERE campaign_id = ANY($1) ORDER BY campaign_id`,
      [ids],
    );
  /** Every batch twice: a replay must change nothing. */
  const apply = async (events: RecordedEvent[]) => {
    await campaignScheduleProjection.apply(events, context());
    await campaignScheduleProjection.apply(events, context());
  };

  beforeAll(async () => {
    database = await projectionTestDatabase({
      runnerTables: true,
      migrations: [CreateCampaignSchedule1763900000200],
    });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

  it('keeps each campaign’s latest end date and status, applying a replayed batch once', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const first = [
      launched(a, '2025-12-31'),
      recorded({
        type: 'CampaignExtended',
        data: {
          campaignId: a,
          endDate: '2026-01-10',
          previousEndDate: '2025-12-31',
          reason: 'x',
          extendedOn: '2025-12-20',
        },
      }),
      launched(b, '2025-12-31'),
      launched(c, '2025-12-31'),
    ];
    await apply(first);
    const second = [
      recorded({
        type: 'CampaignCancelled',
        data: { campaignId: b, cancelledOn: '2025-12-15', reason: 'x' },
      }),
      recorded({
        type: 'CampaignExtended',
        data: {
          campaignId: c,
          endDate: '2026-02-01',
          previousEndDate: '2025-12-31',
          reason: 'x',
          extendedOn: '2025-12-20',
        },
      }),
      recorded({ type: 'CampaignEnded', data: { campaignId: a, endedOn: '2026-01-10' } }),
    ];
    await apply(second);
    await apply(first);
    expect(await rows([a, b, c])).toEqual(
      [
        { campaign_id: a, end_date: '2026-01-10', status: 'ended' },
        { campaign_id: b, end_date: '2025-12-31', status: 'cancelled' },
        { campaign_id: c, end_date: '2026-02-01', status: 'active' },
      ].sort((x, y) => (x.campaign_id < y.campaign_id ? -1 : 1)),
    );
  });

  it('ignores events of other streams', async () => {
    const other = { ...launched(randomUUID(), '2025-12-31'), streamId: 'unit-DN' };
    await apply([other]);
    expect(await rows([(other.data as { campaignId: string }).campaignId])).toEqual([]);
  });

  it('finds the active campaigns whose end date is before today', async () => {
    const [due, endsToday, closed] = [randomUUID(), randomUUID(), randomUUID()];
    await apply([
      launched(due, '2027-03-30'),
      launched(endsToday, '2027-03-31'),
      launched(closed, '2027-03-30'),
      recorded({
        type: 'CampaignClosedEarly',
        data: {
          campaignId: closed,
          closedOn: '2027-03-10',
          plannedEndDate: '2027-03-30',
          reason: 'x',
        },
      }),
    ]);
    const found = await new FindDueCampaignsHandler(dataSource).execute(
      new FindDueCampaigns('2027-03-31'),
    );
    expect(found).toContain(due);
    expect(found).not.toContain(endsToday);
    expect(found).not.toContain(closed);
  });
});
