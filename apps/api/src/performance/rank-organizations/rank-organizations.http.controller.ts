import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags, IntersectionType } from '@nestjs/swagger';
import { ListOrganizationPerformance } from '#projections';
import { IsOptional } from 'class-validator';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { PageQuery } from '../../read-models/read-query.dto.js';
import { IsEntityId } from '../../validation/validators.js';
import { MonthQuery, PERFORMANCE_FIGURES, PerformanceListAnswer } from '../performance.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

class InUnit {
  @ApiPropertyOptional({
    description:
      'Count only work on participants of this unit and the units below it, against ' +
      'allocations of plans of those units.',
    example: 'CT-LM',
  })
  @IsOptional()
  @IsEntityId()
  unitId?: string;
}

class RankOrganizationsQuery extends IntersectionType(PageQuery, MonthQuery, InUnit) {}

@ApiTags('Performance')
@Controller('performance/organizations')
export class RankOrganizationsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiRead(
    'Collection organizations ranked by their month, with the ones the province singles out, paged.',
    PerformanceListAnswer,
    PERFORMANCE_FIGURES,
  )
  list(@Query() query: RankOrganizationsQuery) {
    return this.queries.execute(
      new ListOrganizationPerformance(
        query.month,
        { unitId: query.unitId, scheme: query.scheme },
        { limit: query.limit, offset: query.offset },
        readOptions(query),
      ),
    );
  }
}
