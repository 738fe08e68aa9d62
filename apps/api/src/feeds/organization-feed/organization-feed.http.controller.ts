import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiBearerAuth, ApiProperty, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ListAgentPerformance, PERFORMANCE_SOURCES } from '#projections';
import { AllowQueryToken } from '../../auth/auth.decorators.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { IsMonth } from '../../validation/validators.js';
import { ChangeFeeds } from '../change-feed.js';
import { FeedQuery } from '../feed-query.dto.js';

class OrganizationFeedQuery extends FeedQuery {
  @ApiProperty({ description: 'The month of the figures.', example: '2025-09' })
  @IsMonth()
  month!: string;
}

@ApiTags('Change feeds')
@ApiBearerAuth()
@Controller('feeds/organizations/:organizationId')
export class OrganizationFeedController {
  constructor(
    private readonly queries: QueryBus,
    private readonly feeds: ChangeFeeds,
  ) {}

  @Get()
  @ApiProduces('text/event-stream')
  @AllowQueryToken()
  @ApiOperation({
    summary:
      "Server-Sent Events: the month's performance of the organization's agents (as GET " +
      '/performance/agents?organizationId=), pushed after every batch; Last-Event-ID resumes.',
  })
  async feed(
    @Param('organizationId', new EntityIdPipe('organizationId')) organizationId: string,
    @Query() query: OrganizationFeedQuery,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    const read = () =>
      this.queries.execute(
        new ListAgentPerformance(query.month, { organizationId }, { limit: 200, offset: 0 }),
      );
    return this.feeds.serve(request, response, {
      view: ['agent-performance', organizationId, query.month],
      sources: PERFORMANCE_SOURCES,
      type: 'agent-performance',
      lastEventId,
      read,
    });
  }
}
