import { Module } from '@nestjs/common';
import { GetCampaignProgressHandler, ListCampaignsHandler } from '#projections';
import { Clock, SystemClock } from '../clock.js';
import { GetCampaignProgressController } from './get-campaign-progress/get-campaign-progress.http.controller.js';
import { ListCampaignsController } from './list-campaigns/list-campaigns.http.controller.js';

@Module({
  controllers: [GetCampaignProgressController, ListCampaignsController],
  providers: [
    { provide: Clock, useClass: SystemClock },
    GetCampaignProgressHandler,
    ListCampaignsHandler,
  ],
})
export class CampaignProgressModule {}
