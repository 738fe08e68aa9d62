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
import { CreateCampaigns1763900001000 } from './campaigns.migrations.js';
import { campaignsProjection } from './campaigns.projection.js';

describe('campaigns projection', () => {
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
  const launched = (campaignId: string) =>
    recorded({
      type: 'CampaignLaunched',
      data: {
        campaignId,
        name: `Campaign ${campaignId}`,
        startDate: '2025-12-10',
        endDate: '2025-12-29',
        scopeUnitIds: ['DN', 'HP'],
        objectives: [
          { objectiveId: 'health', scheme: 'health-insurance', metric: 'participants', target: 10 },
          { objectiveId: 'debt', scheme: null, metric: 'debt-recovered', target: 300 },
        ],
      },
    });
  const row = async (campaignId: string) =>
    (
      await dataSource.query(
        `SELECT name, start_date::text, planned_end_date::text, end_date::text, closed_on::text,
                cancelled_on::text, status, scope_unit_ids, objectives
           FROM campaigns WHERE campaign_id = $1`,
        [campaignId],
      )
    )[0];

  beforeAll(async () => {
    database = await projectionTestDatabase({ migrations: [CreateCampaigns1763900001000] });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

  it('keeps the launch, the latest end date, the closing date and status, whatever batches are replayed', async () => {
    const campaignId = randomUUID();
    const events = [
      launched(campaignId),
      recorded({
        type: 'CampaignExtended',
        data: {
          campaignId,
          endDate: '2026-01-05',
          previousEndDate: '2025-12-29',
          reason: 'more time',
          extendedOn: '2025-12-20',
        },
      }),
      recorded({
        type: 'CampaignClosedEarly',
        data: {
          campaignId,
          closedOn: '2025-12-31',
          plannedEndDate: '2026-01-05',
          reason: 'target met',
        },
      }),
    ];
    await campaignsProjection.apply(events.slice(0, 1), context());
    await campaignsProjection.apply(events.slice(1), context());
    await campaignsProjection.apply(events.slice(0, 2), context());
    await campaignsProjection.apply(events.slice(0, 1), context());
    await campaignsProjection.apply(events.slice(1, 2), context());
    expect(await row(campaignId)).toEqual({
      name: `Campaign ${campaignId}`,
      start_date: '2025-12-10',
      planned_end_date: '2025-12-29',
      end_date: '2026-01-05',
      closed_on: '2025-12-31',
      cancelled_on: null,
      status: 'closed',
      scope_unit_ids: ['DN', 'HP'],
      objectives: [
        { objectiveId: 'health', scheme: 'health-insurance', metric: 'participants', target: 10 },
        { objectiveId: 'debt', scheme: null, metric: 'debt-recovered', target: 300 },
      ],
    });
  });

  it('records a cancellation and an end in one batch with the launch, once', async () => {
    const [cancelled, ended] = [randomUUID(), randomUUID()];
    const events = [
      launched(cancelled),
      launched(ended),
      recorded({
        type: 'CampaignCancelled',
        data: { campaignId: cancelled, cancelledOn: '2025-12-15', reason: 'x' },
      }),
      recorded({ type: 'CampaignEnded', data: { campaignId: ended, endedOn: '2025-12-29' } }),
    ];
    await campaignsProjection.apply(events, context());
    await campaignsProjection.apply(events.slice(0, 2), context());
    expect(await row(cancelled)).toMatchObject({ status: 'cancelled', cancelled_on: '2025-12-15' });
    expect(await row(ended)).toMatchObject({ status: 'ended', end_date: '2025-12-29' });
  });
});
