import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AlertEvent } from '#domain';
import { type RecordedEvent } from '#event-store';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { projectionContext, recordedEvent } from '../testing/recorded-event.js';
import { CreateAlerts1763900004010 } from './alerts.migrations.js';
import { alertsProjection } from './alerts.projection.js';

describe('alerts projection', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = () => projectionContext(dataSource);
  const about = (alertId: string) => ({
    alertId,
    condition: 'milestone-at-risk' as const,
    subject: { kind: 'milestone' as const, id: 'HP-3P-2024' },
    period: '2024-10-20',
  });
  const recorded = (event: AlertEvent, actor = 'system:alert-watch'): RecordedEvent => {
    position += 1;
    return recordedEvent({
      ...event,
      streamId: `alert-${event.data.alertId}`,
      position,
      recordedAt: new Date(`2024-10-${10 + (position % 10)}T02:00:00Z`),
      metadata: { actor, correlationId: randomUUID() },
    });
  };
  const raised = (alertId: string, pending: number) =>
    recorded({
      type: 'AlertRaised',
      data: { ...about(alertId), observedOn: '2024-10-13', figures: { pending } },
    });
  const cleared = (alertId: string) =>
    recorded({
      type: 'AlertCleared',
      data: { ...about(alertId), observedOn: '2024-10-15', figures: { pending: 0 } },
    });
  const acknowledged = (alertId: string) =>
    recorded(
      {
        type: 'AlertAcknowledged',
        data: { ...about(alertId), note: 'On it', acknowledgedOn: '2024-10-14' },
      },
      'manager-lan',
    );
  const row = async (alertId: string) =>
    (
      await dataSource.query(
        `SELECT status, figures, observed_on::text AS observed_on, acknowledged_by, note,
                cleared_at IS NOT NULL AS cleared
           FROM alerts WHERE alert_id = $1`,
        [alertId],
      )
    )[0];
  /** Every batch twice: a replay must change nothing. */
  const apply = async (events: RecordedEvent[]) => {
    await alertsProjection.apply(events, context());
    await alertsProjection.apply(events, context());
  };

  beforeAll(async () => {
    database = await projectionTestDatabase({
      runnerTables: true,
      migrations: [CreateAlerts1763900004010],
    });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

  it('keeps each alert as raised, acknowledged and cleared, in one batch or several', async () => {
    const [together, apart] = [randomUUID(), randomUUID()];
    const events = [raised(together, 2), acknowledged(together), cleared(together)];
    await apply(events);
    await apply([raised(apart, 2)]);
    await apply([acknowledged(apart)]);
    await apply([cleared(apart)]);
    for (const alertId of [together, apart]) {
      expect(await row(alertId)).toEqual({
        status: 'cleared',
        figures: { pending: 0 },
        observed_on: '2024-10-15',
        acknowledged_by: 'manager-lan',
        note: 'On it',
        cleared: true,
      });
    }
  });

  it('forgets the acknowledgement when the alert is raised again', async () => {
    const alertId = randomUUID();
    await apply([raised(alertId, 2), acknowledged(alertId), cleared(alertId)]);
    await apply([raised(alertId, 1)]);
    expect(await row(alertId)).toEqual({
      status: 'raised',
      figures: { pending: 1 },
      observed_on: '2024-10-13',
      acknowledged_by: null,
      note: null,
      cleared: false,
    });
  });

  it('changes nothing when an earlier batch is replayed after a later one', async () => {
    const alertId = randomUUID();
    const first = [raised(alertId, 2)];
    await apply(first);
    await apply([cleared(alertId)]);
    await alertsProjection.apply(first, context());
    expect((await row(alertId)).status).toBe('cleared');
  });
});
