import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { SCHEME_SCOPES, type SchemeScope, localDateAt } from '#domain';
import { GetCampaignProgress } from '#projections';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Clock } from '../../clock.js';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { ReadQuery } from '../../read-models/read-query.dto.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { IsLocalDate } from '../../validation/validators.js';
import { CampaignProgressAnswer } from '../campaign-progress.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

export class CampaignProgressQuery extends ReadQuery {
  @ApiPropertyOptional({
    description:
      'Read the progress as of the end of this day; defaults to today in Asia/Ho_Chi_Minh. ' +
      'Nothing after the window counts.',
    example: '2025-12-20',
  })
  @IsOptional()
  @IsLocalDate()
  asOf?: string;

  @ApiPropertyOptional({
    enum: SCHEME_SCOPES,
    description:
      "Rank by this scheme (or the members of this group) alone; by the campaign's schemes together when absent.",
  })
  @IsOptional()
  @IsIn(SCHEME_SCOPES)
  scheme?: SchemeScope;

  @ApiPropertyOptional({
    description: 'Entries per leaderboard (1–100).',
    example: 10,
    default: 10,
  })
  @IsOptional()
  @Max(100)
  @Min(1)
  @IsInt()
  @Type(() => Number)
  leaderboardSize: number = 10;
}

@ApiTags('Campaigns')
@Controller('campaigns/:campaignId/progress')
export class GetCampaignProgressController {
  constructor(
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiRead(
    'Campaign progress: each objective achieved in the window and scope against its target and ' +
      'the should-be line, days elapsed and remaining, the daily rate still required, and ' +
      'leaderboards of units, organizations and agents.',
    CampaignProgressAnswer,
  )
  get(
    @Param('campaignId', new EntityIdPipe('campaignId')) campaignId: string,
    @Query() query: CampaignProgressQuery,
  ) {
    return this.queries.execute(
      new GetCampaignProgress(
        campaignId,
        query.asOf ?? localDateAt(this.clock.now()),
        { scheme: query.scheme, size: query.leaderboardSize },
        readOptions(query),
      ),
    );
  }
}
