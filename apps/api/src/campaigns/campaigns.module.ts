import { Module } from '@nestjs/common';
import { FindDueCampaignsHandler } from '#projections';
import { Clock, SystemClock } from '../clock.js';
import { CancelCampaignController } from './cancel-campaign/cancel-campaign.http.controller.js';
import { cancelCampaign } from './cancel-campaign/cancel-campaign.use-case.js';
import { CloseCampaignEarlyController } from './close-campaign-early/close-campaign-early.http.controller.js';
import { closeCampaignEarly } from './close-campaign-early/close-campaign-early.use-case.js';
import { CampaignScheduler } from './end-campaigns/campaign-scheduler.js';
import { ExtendCampaignController } from './extend-campaign/extend-campaign.http.controller.js';
import { extendCampaign } from './extend-campaign/extend-campaign.use-case.js';
import { LaunchCampaignController } from './launch-campaign/launch-campaign.http.controller.js';
import { launchCampaign } from './launch-campaign/launch-campaign.use-case.js';

/** What users record; campaigns end through the scheduler, not through a request. */
export const campaignUseCases = [
  launchCampaign,
  extendCampaign,
  closeCampaignEarly,
  cancelCampaign,
];

@Module({
  controllers: [
    LaunchCampaignController,
    ExtendCampaignController,
    CloseCampaignEarlyController,
    CancelCampaignController,
  ],
  providers: [
    { provide: Clock, useClass: SystemClock },
    FindDueCampaignsHandler,
    CampaignScheduler,
  ],
  exports: [CampaignScheduler],
})
export class CampaignsModule {}
