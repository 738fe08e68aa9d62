import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags, IntersectionType } from '@nestjs/swagger';
import { ListAgentPerformance, ListOrganizationPerformance } from '#projections';
import { IsOptional } from 'class-validator';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { PageQuery, readOptions } from '../../read-models/read-query.dto.js';
import { IsEntityId } from '../../validation/validators.js';
import { MonthQuery, PERFORMANCE_FIGURES, PerformanceListAnswer } from '../performance.dto.js';

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

class ForOrganization {
  @ApiPropertyOptional({
    description:
      'Count only work credited to this organization; the agents are those assigned to it ' +
      'in the year or credited with work for it.',
    example: 'VNPOST-CT',
  })
  @IsOptional()
  @IsEntityId()
  organizationId?: string;
}

class RankOrganizationsQuery extends IntersectionType(PageQuery, MonthQuery, InUnit) {}

class RankAgentsQuery extends IntersectionType(PageQuery, MonthQuery, InUnit, ForOrganization) {}

/** The monthly rankings of collection organizations and of their agents. */
@ApiTags('Performance')
@Controller('performance')
export class RankingsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('organizations')
  @ApiRead(
    'Collection organizations ranked by their month, with the ones the province singles out, paged.',
    PerformanceListAnswer,
    PERFORMANCE_FIGURES,
  )
  organizations(@Query() query: RankOrganizationsQuery) {
    return this.queries.execute(
      new ListOrganizationPerformance(
        query.month,
        { unitId: query.unitId, scheme: query.scheme },
        { limit: query.limit, offset: query.offset },
        readOptions(query),
      ),
    );
  }

  @Get('agents')
  @ApiRead(
    'Collection agents ranked by their month, with the ones the province singles out, paged.',
    PerformanceListAnswer,
    PERFORMANCE_FIGURES,
  )
  agents(@Query() query: RankAgentsQuery) {
    return this.queries.execute(
      new ListAgentPerformance(
        query.month,
        { unitId: query.unitId, organizationId: query.organizationId, scheme: query.scheme },
        { limit: query.limit, offset: query.offset },
        readOptions(query),
      ),
    );
  }
}
