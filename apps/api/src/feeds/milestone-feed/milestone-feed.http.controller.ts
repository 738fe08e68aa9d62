import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { localDateAt } from '#domain';
import { GetMilestoneCompliance, MILESTONE_COMPLIANCE_SOURCES } from '#projections';
import { AllowQueryToken } from '../../auth/auth.decorators.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { Clock } from '../../clock.js';
import { ChangeFeeds } from '../change-feed.js';
import { AsOfFeedQuery } from '../feed-query.dto.js';

@ApiTags('Change feeds')
@ApiBearerAuth()
@Controller('feeds/milestones/:milestoneId')
export class MilestoneFeedController {
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
      "Server-Sent Events: the milestone's compliance (as GET /milestones/:id/compliance), pushed after " +
      'every projection batch that commits; ids are log positions, Last-Event-ID resumes.',
  })
  async feed(
    @Param('milestoneId', new EntityIdPipe('milestoneId')) milestoneId: string,
    @Query() query: AsOfFeedQuery,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    const read = () =>
      this.queries.execute(
        new GetMilestoneCompliance(milestoneId, query.asOf ?? localDateAt(this.clock.now())),
      );
    return this.feeds.serve(request, response, {
      view: ['milestone-compliance', milestoneId, query.asOf],
      sources: MILESTONE_COMPLIANCE_SOURCES,
      type: 'milestone-compliance',
      lastEventId,
      read,
    });
  }
}
