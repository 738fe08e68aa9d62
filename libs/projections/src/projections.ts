import type { Projection } from './runner/projection.js';
import { CreateProjectionCheckpoints1763900000100 } from './runner/projection-checkpoints.migrations.js';
import { CreateCampaignSchedule1763900000200 } from './campaign-schedule/campaign-schedule.migrations.js';
import { campaignScheduleProjection } from './campaign-schedule/campaign-schedule.projection.js';
import { CreateParticipationChanges1763900000400 } from './participation/participation.migrations.js';
import { participationProjection } from './participation/participation.projection.js';
import { CreatePlans1763900000500 } from './plans/plans.migrations.js';
import { plansProjection } from './plans/plans.projection.js';
import { CreateCampaigns1763900001000 } from './campaigns/campaigns.migrations.js';
import { campaignsProjection } from './campaigns/campaigns.projection.js';
import { CreateCollectionActivity1763900001010 } from './collection-activity/collection-activity.migrations.js';
import { collectionActivityProjection } from './collection-activity/collection-activity.projection.js';
import { CreateCollectionPoints1763900001020 } from './collection-points/collection-points.migrations.js';
import { collectionPointsProjection } from './collection-points/collection-points.projection.js';
import { CreateMilestones1763900001030 } from './milestones/milestones.migrations.js';
import { milestonesProjection } from './milestones/milestones.projection.js';
import { CreateCollectionNetwork1763900002010 } from './collection-network/collection-network.migrations.js';
import { collectionNetworkProjection } from './collection-network/collection-network.projection.js';
import { CreateCollectionPerformance1763900002020 } from './collection-performance/collection-performance.migrations.js';
import { collectionPerformanceProjection } from './collection-performance/collection-performance.projection.js';
import { CreateMonthlyRenewals1763900003100 } from './collection-performance/monthly-renewals.migration.js';
import { CreateDebt1763900002030 } from './debt/debt.migrations.js';
import { debtProjection } from './debt/debt.projection.js';
import { CreateUnitHierarchy1763900000300 } from './unit-hierarchy/unit-hierarchy.migrations.js';
import { unitHierarchyProjection } from './unit-hierarchy/unit-hierarchy.projection.js';
import {
  CreateKnownAtParts1763900006520,
  CreateKnownAtSnapshots1763900003000,
} from './known-at/known-at.migrations.js';
import {
  IndexPresentVersions1763900006610,
  IndexVersionsByEnd1763900006620,
  RecordRowHistoryPerTable1763900006600,
  RecordWithOneProbe1763900006630,
  KeepVersionStartOnRows1763900006640,
} from './runner/row-history.migrations.js';
import { CreateAuditTrail1763900003010 } from './audit-trail/audit-trail.migrations.js';
import { auditTrailProjection } from './audit-trail/audit-trail.projection.js';
import { CreatePublishedFigures1763900004200 } from './published-figures/published-figures.migrations.js';
import { publishedFiguresProjection } from './published-figures/published-figures.projection.js';
import { CreateAlertOutbox1763900004000 } from './alert-outbox/alert-outbox.migrations.js';
import { CreateAlertWebhookSecrets1763900004030 } from './alert-outbox/alert-webhook-secrets.migration.js';
import { AlertWebhookSecretRefs1763900004040 } from './alert-outbox/alert-webhook-secret-refs.migration.js';
import { alertOutboxProjection } from './alert-outbox/alert-outbox.projection.js';
import { CreateAlerts1763900004010 } from './alerts/alerts.migrations.js';
import { alertsProjection } from './alerts/alerts.projection.js';
import { CreateProjectionHistory1763900003200 } from './runner/projection-history.migrations.js';
import { VersionReadModels1763900003210 } from './known-at/read-model-history.migrations.js';
import {
  CreateKnownAtRetention1763900006310,
  IndexRowHistoryPositions1763900006300,
} from './known-at/history-index.migrations.js';

/** The read models the service keeps; each view registers here with its migrations. */
export const projections: Projection[] = [
  campaignScheduleProjection,
  unitHierarchyProjection,
  participationProjection,
  plansProjection,
  campaignsProjection,
  collectionActivityProjection,
  collectionPointsProjection,
  milestonesProjection,
  collectionNetworkProjection,
  collectionPerformanceProjection,
  debtProjection,
  auditTrailProjection,
  publishedFiguresProjection,
  alertOutboxProjection,
  alertsProjection,
];

export const projectionMigrations = [
  CreateProjectionCheckpoints1763900000100,
  CreateCampaignSchedule1763900000200,
  CreateUnitHierarchy1763900000300,
  CreateParticipationChanges1763900000400,
  CreatePlans1763900000500,
  CreateCampaigns1763900001000,
  CreateCollectionActivity1763900001010,
  CreateCollectionPoints1763900001020,
  CreateMilestones1763900001030,
  CreateCollectionNetwork1763900002010,
  CreateCollectionPerformance1763900002020,
  CreateDebt1763900002030,
  CreateKnownAtSnapshots1763900003000,
  CreateAuditTrail1763900003010,
  CreateMonthlyRenewals1763900003100,
  CreatePublishedFigures1763900004200,
  CreateAlertOutbox1763900004000,
  CreateAlerts1763900004010,
  CreateAlertWebhookSecrets1763900004030,
  AlertWebhookSecretRefs1763900004040,
  CreateProjectionHistory1763900003200,
  VersionReadModels1763900003210,
  IndexRowHistoryPositions1763900006300,
  CreateKnownAtRetention1763900006310,
  CreateKnownAtParts1763900006520,
  RecordRowHistoryPerTable1763900006600,
  IndexPresentVersions1763900006610,
  IndexVersionsByEnd1763900006620,
  RecordWithOneProbe1763900006630,
  KeepVersionStartOnRows1763900006640,
];
