import { type AlertSubject } from '#domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  type ReadAnswer,
  ReadModelReader,
  type ReadOptions,
} from '../queries/read-model-reader.js';
import { ALERTS_TABLE } from './alerts.projection.js';

export type AlertView = {
  alertId: string;
  condition: string;
  subject: { kind: string; id: string };
  period: string;
  status: 'raised' | 'cleared';
  figures: Record<string, unknown>;
  observedOn: string;
  raisedAt: string;
  clearedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  note: string | null;
};

export type AlertFilter = {
  status?: 'raised' | 'cleared';
  subjectKind?: AlertSubject['kind'];
  subjectId?: string;
  acknowledged?: boolean;
};

export type AlertList = { alerts: AlertView[]; total: number };

/** The projections the alert list reads: a change feed of it wakes on their commits. */
export const ALERT_SOURCES = ['alerts'];

/** Alerts, latest change first, one page at a time. */
export class ListAlerts extends Query<ReadAnswer<AlertList>> {
  constructor(
    readonly filter: AlertFilter,
    readonly page: { limit: number; offset: number },
    readonly options: ReadOptions = {},
  ) {
    super();
  }
}

const MATCHES = `($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR subject_kind = $2)
  AND ($3::text IS NULL OR subject_id = $3)
  AND ($4::boolean IS NULL OR (acknowledged_by IS NOT NULL) = $4)`;

@QueryHandler(ListAlerts)
export class ListAlertsHandler implements IQueryHandler<ListAlerts> {
  constructor(private readonly reader: ReadModelReader) {}

  execute({ filter, page, options }: ListAlerts) {
    const params = [
      filter.status ?? null,
      filter.subjectKind ?? null,
      filter.subjectId ?? null,
      filter.acknowledged ?? null,
    ];
    return this.reader.read(ALERT_SOURCES, options, async (manager) => {
      const [{ total }] = await manager.query(
        `SELECT count(*)::int AS total FROM ${ALERTS_TABLE} WHERE ${MATCHES}`,
        params,
      );
      const alerts = await manager.query(
        `SELECT alert_id AS "alertId", condition,
                json_build_object('kind', subject_kind, 'id', subject_id) AS subject, period,
                status, figures, observed_on::text AS "observedOn", raised_at AS "raisedAt",
                cleared_at AS "clearedAt", acknowledged_by AS "acknowledgedBy",
                acknowledged_at AS "acknowledgedAt", note
           FROM ${ALERTS_TABLE} WHERE ${MATCHES}
          ORDER BY last_position DESC LIMIT $5 OFFSET $6`,
        [...params, page.limit, page.offset],
      );
      return { alerts, total };
    });
  }
}
