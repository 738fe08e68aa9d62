import type { Projection } from './runner/projection.js';
import { CreateProjectionCheckpoints1763900000100 } from './runner/projection-checkpoints.migrations.js';
import { CreateCampaignSchedule1763900000200 } from './campaign-schedule/campaign-schedule.migrations.js';
import { campaignScheduleProjection } from './campaign-schedule/campaign-schedule.projection.js';

/** The read models the service keeps; each view registers here with its migrations. */
export const projections: Projection[] = [campaignScheduleProjection];

export const projectionMigrations = [
  CreateProjectionCheckpoints1763900000100,
  CreateCampaignSchedule1763900000200,
];
