import { ALERT_DELIVERIES_TABLE, ALERT_DELIVERY_ATTEMPTS_TABLE } from '#projections';
import { type DataSource } from 'typeorm';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type DeliveryAttempt = {
  attempt: number;
  attemptedAt: string;
  url: string;
  responseStatus: number | null;
  error: string | null;
};

export type AlertDelivery = {
  eventId: string;
  position: number;
  alertId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  redeliveryRequestedBy: string | null;
  log: DeliveryAttempt[];
};

const DELIVERY = `
  d.event_id AS "eventId", d.position::int AS position, d.alert_id AS "alertId",
  d.event_type AS "eventType", d.status, d.attempts,
  CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS "nextAttemptAt",
  d.delivered_at AS "deliveredAt", d.redelivery_requested_by AS "redeliveryRequestedBy",
  coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'attemptedAt', a.attempted_at,
      'url', a.url, 'responseStatus', a.response_status, 'error', a.error) ORDER BY a.attempt)
    FROM ${ALERT_DELIVERY_ATTEMPTS_TABLE} a WHERE a.event_id = d.event_id), '[]') AS log`;

/** Deliveries, latest alert first, with every try. */
export async function deliveriesPage(
  database: DataSource,
  filter: { status?: DeliveryStatus },
  page: { limit: number; offset: number },
): Promise<{ deliveries: AlertDelivery[]; total: number }> {
  const [{ total }] = await database.query(
    `SELECT count(*)::int AS total FROM ${ALERT_DELIVERIES_TABLE}
      WHERE $1::text IS NULL OR status = $1`,
    [filter.status ?? null],
  );
  const deliveries = await database.query(
    `SELECT ${DELIVERY} FROM ${ALERT_DELIVERIES_TABLE} d
      WHERE $1::text IS NULL OR d.status = $1
      ORDER BY d.position DESC LIMIT $2 OFFSET $3`,
    [filter.status ?? null, page.limit, page.offset],
  );
  return { deliveries, total };
}

/**
 * Puts a delivery back in the queue, due now, with its count of tries restarted; the log of
 * earlier tries stays. Undefined when there is no such delivery.
 */
export async function requestRedelivery(
  database: DataSource,
  eventId: string,
  requestedBy: string,
  now: Date,
): Promise<AlertDelivery | undefined> {
  // Through a CTE, so the driver answers with rows as for a SELECT.
  const [{ updated }] = await database.query(
    `WITH updated AS (
       UPDATE ${ALERT_DELIVERIES_TABLE}
          SET status = 'pending', attempts = 0, next_attempt_at = $2, redelivery_requested_by = $3
        WHERE event_id = $1 RETURNING event_id)
     SELECT count(*)::int AS updated FROM updated`,
    [eventId, now, requestedBy],
  );
  if (updated === 0) return undefined;
  const [delivery] = await database.query(
    `SELECT ${DELIVERY} FROM ${ALERT_DELIVERIES_TABLE} d WHERE d.event_id = $1`,
    [eventId],
  );
  return delivery;
}
