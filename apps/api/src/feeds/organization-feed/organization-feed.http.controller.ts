import { Controller, Headers, type MessageEvent, Param, Query, Sse } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiProperty,
  ApiPropertyOptional,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ListAgentPerformance, PERFORMANCE_SOURCES, ProjectionCommits } from '#projections';
import { IsOptional, IsString } from 'class-validator';
import { type Observable } from 'rxjs';
import { AllowQueryToken } from '../../auth/auth.decorators.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { IsMonth } from '../../validation/validators.js';
import { changeFeed, lastEventPosition } from '../change-feed.js';

class OrganizationFeedQuery {
  @ApiProperty({ description: 'The month of the figures.', example: '2025-09' })
  @IsMonth()
  month!: string;

  @ApiPropertyOptional({
    description: 'A token from POST /auth/stream-token, for EventSource (no headers).',
  })
  @IsOptional()
  @IsString()
  access_token?: string;
}

@ApiTags('Change feeds')
@ApiBearerAuth()
@Controller('feeds/organizations/:organizationId')
export class OrganizationFeedController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commits: ProjectionCommits,
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
    await read();
    return changeFeed({
      commits: this.commits.changes,
      sources: PERFORMANCE_SOURCES,
      after: lastEventPosition(lastEventId),
      type: 'agent-performance',
      read,
    });
  }
}
