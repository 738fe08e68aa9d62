import type { AlertEvent, AlertRuleSet } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const ALERT_DELIVERIES_TABLE = 'alert_deliveries';
export const ALERT_DELIVERY_ATTEMPTS_TABLE = 'alert_delivery_attempts';

/**
 * The `next_attempt_at` of a pending delivery the dispatcher parked for having nowhere to go:
 * never due, so later runs do not walk it again until something makes it due (unparkDeliveries).
 */
export const PARKED = 'infinity';

/** Makes every parked delivery due again (`-infinity`), to be looked at once more. */
export async function unparkDeliveries(
  query: (sql: string, params?: unknown[]) => Promise<unknown>,
): Promise<void> {
  await query(
    `UPDATE ${ALERT_DELIVERIES_TABLE} SET next_attempt_at = '-infinity'
      WHERE status = 'pending' AND next_attempt_at = $1`,
    [PARKED],
  );
}

const ALERT_TYPES: readonly string[] = [
  'AlertRaised',
  'AlertCleared',
] satisfies AlertEvent['type'][];

/** What a webhook receives: the alert event as recorded, so a receiver can drop a repeat by id. */
export function alertDeliveryBody(event: RecordedEvent): string {
  return JSON.stringify({
    eventId: event.id,
    type: event.type,
    position: event.position,
    occurredAt: event.occurredAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    alert: event.data,
  });
}

/**
 * The outbox of alerts to deliver, filled in the transaction that moves this projection's
 * checkpoint, so no committed alert is skipped and none is queued twice. It owns no table on
 * purpose: a rebuild must not swap away the delivery status, so it replays into the live table,
 * where every row is already there and `ON CONFLICT DO NOTHING` keeps it. A new row is due at
 * once (`-infinity`), whatever clock the dispatching process keeps.
 */
export const alertOutboxProjection: Projection = {
  name: 'alert-outbox',
  tables: [],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    // A rule given a webhook is somewhere to go for deliveries the dispatcher parked (due at
    // `infinity`) for having nowhere: they are due again, to be looked at once more.
    const webhookSet = events.some(
      (event) =>
        event.type === 'AlertRuleSet' && (event.data as AlertRuleSet['data']).rule?.webhook != null,
    );
    if (webhookSet) await unparkDeliveries((sql, params) => context.query(sql, params));
    const alerts = events.filter((event) => ALERT_TYPES.includes(event.type));
    if (alerts.length === 0) return;
    await context.query(
      `INSERT INTO ${ALERT_DELIVERIES_TABLE}
         (event_id, position, alert_id, event_type, body, status, next_attempt_at)
       SELECT e.event_id, e.position, e.alert_id, e.event_type, e.body, 'pending', '-infinity'
         FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[])
              AS e (event_id, position, alert_id, event_type, body)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        alerts.map((event) => event.id),
        alerts.map((event) => event.position),
        alerts.map((event) => (event.data as AlertEvent['data']).alertId),
        alerts.map((event) => event.type),
        alerts.map(alertDeliveryBody),
      ],
    );
  },
};
