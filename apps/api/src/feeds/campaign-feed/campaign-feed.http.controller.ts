import { Controller, Headers, type MessageEvent, Param, Query, Sse } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { localDateAt } from '#domain';
import { CAMPAIGN_PROGRESS_SOURCES, GetCampaignProgress } from '#projections';
import { type Observable } from 'rxjs';
import { AllowQueryToken } from '../../auth/auth.decorators.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { Clock } from '../../clock.js';
import { ChangeFeeds } from '../change-feed.js';
import { AsOfFeedQuery } from '../feed-query.dto.js';

@ApiTags('Change feeds')
@ApiBearerAuth()
@Controller('feeds/campaigns/:campaignId')
export class CampaignFeedController {
  constructor(
    private readonly queries: QueryBus,
    private readonly feeds: ChangeFeeds,
    private readonly clock: Clock,
  ) {}

  @Sse()
  @AllowQueryToken()
  @ApiOperation({
    summary:
      "Server-Sent Events: the campaign's progress (as GET /campaigns/:id/progress), pushed after " +
      'every projection batch that commits; ids are log positions, Last-Event-ID resumes.',
  })
  async feed(
    @Param('campaignId', new EntityIdPipe('campaignId')) campaignId: string,
    @Query() query: AsOfFeedQuery,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    const read = () =>
      this.queries.execute(
        new GetCampaignProgress(campaignId, query.asOf ?? localDateAt(this.clock.now())),
      );
    return this.feeds.open({
      view: ['campaign-progress', campaignId, query.asOf],
      sources: CAMPAIGN_PROGRESS_SOURCES,
      type: 'campaign-progress',
      lastEventId,
      read,
    });
  }
}
