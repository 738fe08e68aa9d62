import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { SCHEME_SCOPES, type SchemeScope, localDateAt } from '#domain';
import { IsIn, IsOptional } from 'class-validator';
import { CAMPAIGN_PROGRESS_SOURCES, GetCampaignProgress } from '#projections';
import { AllowQueryToken } from '../../auth/auth.decorators.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { Clock } from '../../clock.js';
import { ChangeFeeds } from '../change-feed.js';
import { AsOfFeedQuery } from '../feed-query.dto.js';

class CampaignFeedQuery extends AsOfFeedQuery {
  @ApiPropertyOptional({
    enum: SCHEME_SCOPES,
    description:
      "Rank the leaderboards by this scheme (or the members of this group) alone, as GET /campaigns/:id/progress does; by the campaign's schemes together when absent.",
  })
  @IsOptional()
  @IsIn(SCHEME_SCOPES)
  scheme?: SchemeScope;
}

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
    @Query() query: CampaignFeedQuery,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    const read = () =>
      this.queries.execute(
        new GetCampaignProgress(campaignId, query.asOf ?? localDateAt(this.clock.now()), {
          scheme: query.scheme,
          size: 10,
        }),
      );
    return this.feeds.serve(request, response, {
      view: ['campaign-progress', campaignId, query.asOf, query.scheme],
      sources: CAMPAIGN_PROGRESS_SOURCES,
      type: 'campaign-progress',
      lastEventId,
      read,
    });
  }
}
