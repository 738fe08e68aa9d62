import type { AlertEvent } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Projection, ProjectionContext } from '../runner/projection.js';

export const ALERTS_TABLE = 'alerts';

type AlertRow = {
  alert_id: string;
  condition: string;
  subject_kind: string;
  subject_id: string;
  period: string;
  status: 'raised' | 'cleared';
  figures: unknown;
  observed_on: string;
  raised_at: Date;
  cleared_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  note: string | null;
  last_position: number;
};

/** The row after one more event; events the row has already taken change nothing. */
function evolve(row: AlertRow | undefined, event: RecordedEvent): AlertRow | undefined {
  if (row && row.last_position >= event.position) return row;
  const alert = event as unknown as AlertEvent & RecordedEvent;
  const { alertId, condition, subject, period } = alert.data;
  const position = event.position;
  switch (alert.type) {
    case 'AlertRaised':
      return {
        alert_id: alertId,
        condition,
        subject_kind: subject.kind,
        subject_id: subject.id,
        period,
        status: 'raised',
        figures: alert.data.figures,
        observed_on: alert.data.observedOn,
        raised_at: event.recordedAt,
        cleared_at: null,
        acknowledged_by: null,
        acknowledged_at: null,
        note: null,
        last_position: position,
      };
    case 'AlertCleared':
      return (
        row && {
          ...row,
          status: 'cleared',
          figures: alert.data.figures,
          observed_on: alert.data.observedOn,
          cleared_at: event.recordedAt,
          last_position: position,
        }
      );
    case 'AlertAcknowledged':
      return (
        row && {
          ...row,
          acknowledged_by: event.metadata.actor,
          acknowledged_at: event.recordedAt,
          note: alert.data.note,
          last_position: position,
        }
      );
  }
}

const ALERT_EVENTS: readonly string[] = [
  'AlertRaised',
  'AlertCleared',
  'AlertAcknowledged',
] satisfies AlertEvent['type'][];

/**
 * Each alert as it stands: raised or cleared, with the figures of its last change and who
 * acknowledged it. A batch reads the rows it touches once, folds its events onto them in
 * memory and writes them back in one statement; `last_position` makes a replay change nothing.
 */
export const alertsProjection: Projection = {
  name: 'alerts',
  tables: [ALERTS_TABLE],
  async apply(events: RecordedEvent[], context: ProjectionContext): Promise<void> {
    const alertEvents = events.filter((event) => ALERT_EVENTS.includes(event.type));
    if (alertEvents.length === 0) return;
    const table = context.table(ALERTS_TABLE);
    const ids = [
      ...new Set(alertEvents.map((event) => (event.data as AlertEvent['data']).alertId)),
    ];
    const stored = await context.query<AlertRow>(
      `SELECT alert_id, condition, subject_kind, subject_id, period, status, figures,
              observed_on::text AS observed_on, raised_at, cleared_at, acknowledged_by,
              acknowledged_at, note, last_position::float8 AS last_position
         FROM ${table} WHERE alert_id = ANY($1)`,
      [ids],
    );
    const rows = new Map<string, AlertRow | undefined>(stored.map((row) => [row.alert_id, row]));
    for (const event of alertEvents) {
      const alertId = (event.data as AlertEvent['data']).alertId;
      rows.set(alertId, evolve(rows.get(alertId), event));
    }
    const changed = [...rows.values()].filter((row): row is AlertRow => row !== undefined);
    const column = <Key extends keyof AlertRow>(key: Key) => changed.map((row) => row[key]);
    await context.query(
      `INSERT INTO ${table} AS a
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                            $7::jsonb[], $8::date[], $9::timestamptz[], $10::timestamptz[],
                            $11::text[], $12::timestamptz[], $13::text[], $14::bigint[])
       ON CONFLICT (alert_id) DO UPDATE
         SET status = excluded.status, figures = excluded.figures,
             observed_on = excluded.observed_on, raised_at = excluded.raised_at,
             cleared_at = excluded.cleared_at, acknowledged_by = excluded.acknowledged_by,
             acknowledged_at = excluded.acknowledged_at, note = excluded.note,
             last_position = excluded.last_position
         WHERE a.last_position < excluded.last_position`,
      [
        column('alert_id'),
        column('condition'),
        column('subject_kind'),
        column('subject_id'),
        column('period'),
        column('status'),
        changed.map((row) => JSON.stringify(row.figures)),
        column('observed_on'),
        column('raised_at'),
        column('cleared_at'),
        column('acknowledged_by'),
        column('acknowledged_at'),
        column('note'),
        column('last_position'),
      ],
    );
  },
};
