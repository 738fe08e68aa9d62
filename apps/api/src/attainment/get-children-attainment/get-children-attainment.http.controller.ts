import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags, IntersectionType } from '@nestjs/swagger';
import { SCHEMES, SCHEME_SCOPES, type SchemeScope } from '#domain';
import { GetChildrenAttainment } from '#projections';
import { IsIn, IsOptional } from 'class-validator';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { AsKnownQuery, PageQuery } from '../../read-models/read-query.dto.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { IsLocalDate } from '../../validation/validators.js';
import { ChildrenAttainmentAnswer } from '../attainment.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

class DateAndScheme {
  @ApiProperty({ description: 'The business date of the figures.', example: '2024-09-30' })
  @IsLocalDate()
  date!: string;

  @ApiPropertyOptional({
    enum: SCHEME_SCOPES,
    description:
      'One scheme or scheme group (social-insurance, all-schemes); every scheme when absent.',
  })
  @IsOptional()
  @IsIn(SCHEME_SCOPES)
  scheme?: SchemeScope;
}

class ChildrenAttainmentQuery extends IntersectionType(PageQuery, DateAndScheme, AsKnownQuery) {}

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
    const schemes = query.scheme ? [query.scheme] : SCHEMES;
    return this.queries.execute(
      new GetChildrenAttainment(
        unitId,
        query.date,
        schemes,
        { limit: query.limit, offset: query.offset },
        { ...readOptions(query), knownOn: query.knownOn },
      ),
    );
  }
}
