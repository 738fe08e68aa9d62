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
import { CreateAlertOutbox1763900004000 } from './alert-outbox.migrations.js';
import { alertOutboxProjection } from './alert-outbox.projection.js';

describe('alert outbox projection', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;
  let position = 0;
  const context = () => projectionContext(dataSource);
  const recorded = (event: { type: string; data: object }): RecordedEvent =>
    recordedEvent({
      ...event,
      streamId: 'alert-x',
      position: ++position,
      occurredAt: new Date('2026-10-13T02:00:00Z'),
      metadata: { actor: 'system:alert-watch', correlationId: randomUUID() },
    });
  const alert = (type: AlertEvent['type'], alertId: string) =>
    recorded({
      type,
      data: {
        alertId,
        condition: 'milestone-at-risk',
        subject: { kind: 'milestone', id: 'HP' },
        period: '2026-10-20',
        observedOn: '2026-10-13',
        figures: { pending: 2 },
      },
    });

  beforeAll(async () => {
    database = await projectionTestDatabase({ migrations: [CreateAlertOutbox1763900004000] });
    dataSource = database.dataSource;
  });
  afterAll(() => database?.drop());

  it('queues each alert event once, due at once, and nothing else, however often a batch is applied', async () => {
    const alertId = `milestone-at-risk.${randomUUID()}`;
    const batch = [
      alert('AlertRaised', alertId),
      recorded({ type: 'MilestoneSet', data: { milestoneId: 'HP' } }),
      alert('AlertCleared', alertId),
    ];
    await alertOutboxProjection.apply(batch, context());
    await alertOutboxProjection.apply(batch, context());
    const rows = await dataSource.query(
      `SELECT event_id, event_type, status, attempts, next_attempt_at <= now() AS due, body
         FROM alert_deliveries WHERE alert_id = $1 ORDER BY position`,
      [alertId],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        event_id: batch[0].id,
        event_type: 'AlertRaised',
        status: 'pending',
        attempts: 0,
        due: true,
      }),
      expect.objectContaining({ event_id: batch[2].id, event_type: 'AlertCleared' }),
    ]);
    expect(JSON.parse(rows[0].body)).toMatchObject({
      eventId: batch[0].id,
      type: 'AlertRaised',
      alert: { alertId, figures: { pending: 2 } },
    });
  });

  it('keeps the delivery status of a row when the log is replayed', async () => {
    const event = alert('AlertRaised', `milestone-missed.${randomUUID()}`);
    await alertOutboxProjection.apply([event], context());
    await dataSource.query(
      `UPDATE alert_deliveries SET status = 'delivered', attempts = 1 WHERE event_id = $1`,
      [event.id],
    );
    await alertOutboxProjection.apply([event], context());
    const [row] = await dataSource.query(
      'SELECT status, attempts FROM alert_deliveries WHERE event_id = $1',
      [event.id],
    );
    expect(row).toEqual({ status: 'delivered', attempts: 1 });
  });
});
