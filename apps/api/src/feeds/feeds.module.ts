import { Module } from '@nestjs/common';
import { Clock, SystemClock } from '../clock.js';
import { ChangeFeeds } from './change-feed.js';
import { FeedRegistry } from './feed-registry.js';
import { CampaignFeedController } from './campaign-feed/campaign-feed.http.controller.js';
import { MilestoneFeedController } from './milestone-feed/milestone-feed.http.controller.js';
import { OrganizationFeedController } from './organization-feed/organization-feed.http.controller.js';
import { AlertFeedController } from './alert-feed/alert-feed.http.controller.js';
import { UnitFeedController } from './unit-feed/unit-feed.http.controller.js';

@Module({
  providers: [ChangeFeeds, FeedRegistry, { provide: Clock, useClass: SystemClock }],
  exports: [FeedRegistry],
  controllers: [
    UnitFeedController,
    CampaignFeedController,
    MilestoneFeedController,
    OrganizationFeedController,
    AlertFeedController,
  ],
})
export class FeedsModule {}
