import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { GetAgentPerformance } from '#projections';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { MonthQuery, PERFORMANCE_FIGURES, RecipientPerformanceAnswer } from '../performance.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

@ApiTags('Performance')
@Controller('agents/:agentId/performance')
export class GetAgentPerformanceController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiRead(
    "A collection agent's month: new participants, stops, net, retention and contributions " +
      'against its allocated targets, its rank among all agents, and whether the province ' +
      'singles it out.',
    RecipientPerformanceAnswer,
    PERFORMANCE_FIGURES,
  )
  get(@Param('agentId', new EntityIdPipe('agentId')) agentId: string, @Query() query: MonthQuery) {
    return this.queries.execute(
      new GetAgentPerformance(agentId, query.month, query.scheme, readOptions(query)),
    );
  }
}
