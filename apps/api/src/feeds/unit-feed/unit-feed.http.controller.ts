import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { SCHEMES, SCHEME_SCOPES, type SchemeScope, localDateAt } from '#domain';
import { ATTAINMENT_SOURCES, GetAttainment } from '#projections';
import { IsIn, IsOptional } from 'class-validator';
import { AllowQueryToken } from '../../auth/auth.decorators.js';
import { IsLocalDate } from '../../validation/validators.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { Clock } from '../../clock.js';
import { ChangeFeeds } from '../change-feed.js';
import { FeedQuery } from '../feed-query.dto.js';

class UnitFeedQuery extends FeedQuery {
  @ApiPropertyOptional({
    description: 'The business date of the figures; today in Vietnam when absent.',
    example: '2024-09-30',
  })
  @IsOptional()
  @IsLocalDate()
  date?: string;

  @ApiPropertyOptional({
    enum: SCHEME_SCOPES,
    description:
      'One scheme or scheme group (social-insurance, all-schemes); every scheme when absent.',
  })
  @IsOptional()
  @IsIn(SCHEME_SCOPES)
  scheme?: SchemeScope;
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
    private readonly feeds: ChangeFeeds,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiProduces('text/event-stream')
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
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    const schemes = query.scheme ? [query.scheme] : SCHEMES;
    // Without a date, each snapshot reads today's figures: a feed left open past midnight moves on.
    const date = () => query.date ?? localDateAt(this.clock.now());
    return this.feeds.serve(request, response, {
      view: ['attainment', unitId, query.date, query.scheme],
      sources: ATTAINMENT_SOURCES,
      type: 'attainment',
      lastEventId,
      read: () => this.queries.execute(new GetAttainment(unitId, date(), schemes)),
    });
  }
}
