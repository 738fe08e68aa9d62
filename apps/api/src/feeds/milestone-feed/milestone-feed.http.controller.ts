import { Controller, Headers, type MessageEvent, Param, Query, Sse } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { localDateAt } from '#domain';
import { GetMilestoneCompliance, MILESTONE_COMPLIANCE_SOURCES } from '#projections';
import { type Observable } from 'rxjs';
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

  @Sse()
  @AllowQueryToken()
  @ApiOperation({
    summary:
      "Server-Sent Events: the milestone's compliance (as GET /milestones/:id/compliance), pushed after " +
      'every projection batch that commits; ids are log positions, Last-Event-ID resumes.',
  })
  async feed(
    @Param('milestoneId', new EntityIdPipe('milestoneId')) milestoneId: string,
    @Query() query: AsOfFeedQuery,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    const read = () =>
      this.queries.execute(
        new GetMilestoneCompliance(milestoneId, query.asOf ?? localDateAt(this.clock.now())),
      );
    return this.feeds.open({
      view: ['milestone-compliance', milestoneId, query.asOf],
      sources: MILESTONE_COMPLIANCE_SOURCES,
      type: 'milestone-compliance',
      lastEventId,
      read,
    });
  }
}
