import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { GetAttainment } from '#projections';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { AttainmentAnswer, AttainmentQuery, selectedSchemes } from '../attainment.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

@ApiTags('Attainment')
@Controller('units/:unitId/attainment')
export class GetAttainmentController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiRead(
    'Participants, plan in force, attainment, changes vs December and vs a year earlier, ' +
      'coverage and run-rates of a unit (with everything below it, merged units included) on a date.',
    AttainmentAnswer,
  )
  get(
    @Param('unitId', new EntityIdPipe('unitId')) unitId: string,
    @Query() query: AttainmentQuery,
  ) {
    return this.queries.execute(
      new GetAttainment(unitId, query.date, selectedSchemes(query), {
        ...readOptions(query),
        knownOn: query.knownOn,
      }),
    );
  }
}
