import { Controller, Headers, type MessageEvent, Param, Query, Sse } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListAgentPerformance, PERFORMANCE_SOURCES } from '#projections';
import { type Observable } from 'rxjs';
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

  @Sse()
  @AllowQueryToken()
  @ApiOperation({
    summary:
      "Server-Sent Events: the month's performance of the organization's agents (as GET " +
      '/performance/agents?organizationId=), pushed after every batch; Last-Event-ID resumes.',
  })
  async feed(
    @Param('organizationId', new EntityIdPipe('organizationId')) organizationId: string,
    @Query() query: OrganizationFeedQuery,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    const read = () =>
      this.queries.execute(
        new ListAgentPerformance(query.month, { organizationId }, { limit: 200, offset: 0 }),
      );
    return this.feeds.open({
      view: ['agent-performance', organizationId, query.month],
      sources: PERFORMANCE_SOURCES,
      type: 'agent-performance',
      lastEventId,
      read,
    });
  }
}
