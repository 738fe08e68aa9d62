import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { localDateAt } from '#domain';
import { ListMilestones } from '#projections';
import { IsOptional } from 'class-validator';
import { Clock } from '../../clock.js';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { PageQuery } from '../../read-models/read-query.dto.js';
import { IsEntityId, IsLocalDate, IsOnOrAfter } from '../../validation/validators.js';
import { MilestoneListAnswer } from '../milestone-compliance.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

class MilestonesQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Count days remaining from this day; defaults to today in Asia/Ho_Chi_Minh.',
    example: '2024-10-01',
  })
  @IsOptional()
  @IsLocalDate()
  asOf?: string;

  @ApiPropertyOptional({ description: 'Only milestones set on this unit.', example: 'HP' })
  @IsOptional()
  @IsEntityId()
  scopeUnitId?: string;

  @ApiPropertyOptional({
    description: 'Only deadlines on or after this day.',
    example: '2024-01-01',
  })
  @IsOptional()
  @IsLocalDate()
  deadlineFrom?: string;

  @ApiPropertyOptional({
    description: 'Only deadlines on or before this day.',
    example: '2024-12-31',
  })
  @IsOptional()
  @IsOnOrAfter('deadlineFrom')
  @IsLocalDate()
  deadlineTo?: string;
}

@ApiTags('Milestones')
@Controller('milestones')
export class ListMilestonesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiRead(
    'Milestones with their deadline, scope, criterion and the outcomes recorded, latest deadline first, paged.',
    MilestoneListAnswer,
  )
  list(@Query() query: MilestonesQuery) {
    return this.queries.execute(
      new ListMilestones(
        {
          scopeUnitId: query.scopeUnitId,
          deadlineFrom: query.deadlineFrom,
          deadlineTo: query.deadlineTo,
        },
        query.asOf ?? localDateAt(this.clock.now()),
        { limit: query.limit, offset: query.offset },
        readOptions(query),
      ),
    );
  }
}
