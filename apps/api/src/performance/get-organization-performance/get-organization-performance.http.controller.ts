import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { GetOrganizationPerformance } from '#projections';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { MonthQuery, PERFORMANCE_FIGURES, RecipientPerformanceAnswer } from '../performance.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

@ApiTags('Performance')
@Controller('organizations/:organizationId/performance')
export class GetOrganizationPerformanceController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiRead(
    "A collection organization's month: new participants, stops, net, retention and " +
      'contributions against its allocated targets, its rank among all organizations, and ' +
      'whether the province singles it out.',
    RecipientPerformanceAnswer,
    PERFORMANCE_FIGURES,
  )
  get(
    @Param('organizationId', new EntityIdPipe('organizationId')) organizationId: string,
    @Query() query: MonthQuery,
  ) {
    return this.queries.execute(
      new GetOrganizationPerformance(organizationId, query.month, query.scheme, readOptions(query)),
    );
  }
}
