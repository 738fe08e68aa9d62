import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { localDateAt } from '#domain';
import { GetMilestoneCompliance } from '#projections';
import { IsOptional } from 'class-validator';
import { Clock } from '../../clock.js';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { PageQuery } from '../../read-models/read-query.dto.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { IsEntityId, IsLocalDate } from '../../validation/validators.js';
import { MilestoneComplianceAnswer } from '../milestone-compliance.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

class MilestoneComplianceQuery extends PageQuery {
  @ApiPropertyOptional({
    description:
      'Read compliance as of the end of this day; defaults to today in Asia/Ho_Chi_Minh.',
    example: '2024-10-20',
  })
  @IsOptional()
  @IsLocalDate()
  asOf?: string;

  @ApiPropertyOptional({
    description: 'List only the laggards under this unit (e.g. a district).',
    example: 'HP-TN',
  })
  @IsOptional()
  @IsEntityId()
  underUnitId?: string;
}

@ApiTags('Milestones')
@Controller('milestones/:milestoneId/compliance')
export class GetMilestoneComplianceController {
  constructor(
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiRead(
    'Milestone compliance: units required as of asOf and at the deadline, fulfilled on time, ' +
      'late, waived and pending, the laggards (paged; limit and offset page them), days to the ' +
      'deadline and a projected completion date.',
    MilestoneComplianceAnswer,
  )
  get(
    @Param('milestoneId', new EntityIdPipe('milestoneId')) milestoneId: string,
    @Query() query: MilestoneComplianceQuery,
  ) {
    return this.queries.execute(
      new GetMilestoneCompliance(
        milestoneId,
        query.asOf ?? localDateAt(this.clock.now()),
        { limit: query.limit, offset: query.offset, underUnitId: query.underUnitId },
        readOptions(query),
      ),
    );
  }
}
