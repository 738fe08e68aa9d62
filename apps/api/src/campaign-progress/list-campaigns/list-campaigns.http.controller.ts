import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CAMPAIGN_STATUSES, type CampaignStatus, ListCampaigns } from '#projections';
import { IsIn, IsOptional } from 'class-validator';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { PageQuery } from '../../read-models/read-query.dto.js';
import { IsEntityId, IsLocalDate } from '../../validation/validators.js';
import { CampaignListAnswer } from '../campaign-progress.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

class CampaignsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES, description: 'Only campaigns in this status.' })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;

  @ApiPropertyOptional({
    description: 'Only campaigns whose scope names this unit.',
    example: 'DN',
  })
  @IsOptional()
  @IsEntityId()
  scopeUnitId?: string;

  @ApiPropertyOptional({
    description:
      'Only campaigns counting on this business date: started by then and not past their ' +
      'last day (end date, or the day they were closed or cancelled).',
    example: '2025-12-20',
  })
  @IsOptional()
  @IsLocalDate()
  runningOn?: string;
}

@ApiTags('Campaigns')
@Controller('campaigns')
export class ListCampaignsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiRead(
    'Campaigns with their window, scope, objectives and status, latest start first, paged.',
    CampaignListAnswer,
  )
  list(@Query() query: CampaignsQuery) {
    return this.queries.execute(
      new ListCampaigns(
        { status: query.status, scopeUnitId: query.scopeUnitId, runningOn: query.runningOn },
        { limit: query.limit, offset: query.offset },
        readOptions(query),
      ),
    );
  }
}
