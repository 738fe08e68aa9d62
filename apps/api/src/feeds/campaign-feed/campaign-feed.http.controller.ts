import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { localDateAt } from '#domain';
import { CAMPAIGN_PROGRESS_SOURCES, GetCampaignProgress } from '#projections';
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

  @Get()
  @ApiProduces('text/event-stream')
  @AllowQueryToken()
  @ApiOperation({
    summary:
      "Server-Sent Events: the campaign's progress (as GET /campaigns/:id/progress), pushed after " +
      'every projection batch that commits; ids are log positions, Last-Event-ID resumes.',
  })
  async feed(
    @Param('campaignId', new EntityIdPipe('campaignId')) campaignId: string,
    @Query() query: AsOfFeedQuery,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    const read = () =>
      this.queries.execute(
        new GetCampaignProgress(campaignId, query.asOf ?? localDateAt(this.clock.now())),
      );
    return this.feeds.serve(request, response, {
      view: ['campaign-progress', campaignId, query.asOf],
      sources: CAMPAIGN_PROGRESS_SOURCES,
      type: 'campaign-progress',
      lastEventId,
      read,
    });
  }
}
