import { Controller, Headers, type MessageEvent, Param, Query, Sse } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { SCHEMES, type Scheme, localDateAt } from '#domain';
import { ATTAINMENT_SOURCES, GetAttainment, ProjectionCommits } from '#projections';
import { IsIn, IsOptional } from 'class-validator';
import { type Observable } from 'rxjs';
import { AllowQueryToken } from '../../auth/auth.decorators.js';
import { IsLocalDate } from '../../validation/validators.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { changeFeed, lastEventPosition } from '../change-feed.js';

class UnitFeedQuery {
  @ApiPropertyOptional({
    description: 'The business date of the figures; today in Vietnam when absent.',
    example: '2024-09-30',
  })
  @IsOptional()
  @IsLocalDate()
  date?: string;

  @ApiPropertyOptional({ enum: SCHEMES, description: 'One scheme; every scheme when absent.' })
  @IsOptional()
  @IsIn(SCHEMES)
  scheme?: Scheme;

  @ApiPropertyOptional({
    description: 'A token from POST /auth/stream-token, for EventSource (no headers).',
  })
  @IsOptional()
  access_token?: string;
}

class FeedMessageDto {
  @ApiProperty({
    description: 'SSE `id`: the log position the snapshot reflects; send it back as Last-Event-ID.',
    example: '8767',
  })
  id!: string;

  @ApiProperty({ description: 'SSE `event`.', example: 'attainment' })
  type!: string;

  @ApiProperty({
    description: 'The same answer as GET /units/:unitId/attainment: { data, position, head, lag }.',
  })
  data!: object;
}

@ApiTags('Change feeds')
@ApiBearerAuth()
@Controller('feeds/units/:unitId')
export class UnitFeedController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commits: ProjectionCommits,
  ) {}

  @Sse()
  @AllowQueryToken()
  @ApiOperation({
    summary:
      "Server-Sent Events: the unit's attainment, pushed after every projection batch that " +
      'commits; each message id is its log position, and Last-Event-ID resumes without gap or duplicate.',
  })
  @ApiOkResponse({ type: FeedMessageDto, description: 'text/event-stream of `attainment` events.' })
  async feed(
    @Param('unitId', new EntityIdPipe('unitId')) unitId: string,
    @Query() query: UnitFeedQuery,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    const schemes = query.scheme ? [query.scheme] : SCHEMES;
    const read = () =>
      this.queries.execute(
        new GetAttainment(unitId, query.date ?? localDateAt(new Date()), schemes),
      );
    // Fails here, before the stream starts, for an unknown unit: a 404 rather than an empty feed.
    const first = await read();
    let primed: typeof first | undefined = first;
    return changeFeed({
      commits: this.commits.changes,
      sources: ATTAINMENT_SOURCES,
      after: lastEventPosition(lastEventId),
      type: 'attainment',
      read: async () => {
        const answer = primed ?? (await read());
        primed = undefined;
        return answer;
      },
    });
  }
}
