import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags, IntersectionType } from '@nestjs/swagger';
import { GetChildrenAttainment } from '#projections';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { AsKnownQuery, PageQuery } from '../../read-models/read-query.dto.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import {
  ChildrenAttainmentAnswer,
  DateOfFigures,
  SchemeSelection,
  selectedSchemes,
} from '../attainment.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

class ChildrenAttainmentQuery extends IntersectionType(
  PageQuery,
  DateOfFigures,
  SchemeSelection,
  AsKnownQuery,
) {}

@ApiTags('Attainment')
@Controller('units/:unitId/children/attainment')
export class GetChildrenAttainmentController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiRead(
    'Drill down: the same figures for each unit directly below a unit, paged.',
    ChildrenAttainmentAnswer,
  )
  get(
    @Param('unitId', new EntityIdPipe('unitId')) unitId: string,
    @Query() query: ChildrenAttainmentQuery,
  ) {
    return this.queries.execute(
      new GetChildrenAttainment(
        unitId,
        query.date,
        selectedSchemes(query),
        { limit: query.limit, offset: query.offset },
        { ...readOptions(query), knownOn: query.knownOn },
      ),
    );
  }
}
