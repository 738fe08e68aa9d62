import { IntersectionType, PickType } from '@nestjs/swagger';
import { ALERT_SOURCES, ListAlerts } from '#projections';
import { AlertsQuery } from '../../alerts/list-alerts/list-alerts.http.controller.js';
import { feedController } from '../feed-controller.js';
import { FeedQuery } from '../feed-query.dto.js';

class AlertFeedQuery extends IntersectionType(
  FeedQuery,
  PickType(AlertsQuery, ['status', 'subjectKind', 'subjectId', 'acknowledged', 'limit']),
) {}

export const AlertFeedController = feedController({
  name: 'alerts',
  path: 'feeds/alerts',
  query: AlertFeedQuery,
  type: 'alerts',
  summary:
    'Server-Sent Events: the alert list (as GET /alerts with the same filters, first `limit` ' +
    'alerts, latest change first), pushed after every batch that raises, clears or ' +
    'acknowledges one; ids are log positions, Last-Event-ID resumes.',
  sources: ALERT_SOURCES,
  view: (_, { status, subjectKind, subjectId, acknowledged, limit }) => [
    'alerts',
    status,
    subjectKind,
    subjectId,
    acknowledged === undefined ? undefined : String(acknowledged),
    String(limit),
  ],
  read: ({ queries }, _, { status, subjectKind, subjectId, acknowledged, limit }) =>
    queries.execute(
      new ListAlerts({ status, subjectKind, subjectId, acknowledged }, { limit, offset: 0 }),
    ),
});
