import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { SCHEME_SCOPES, type SchemeScope, daysBetween } from '#domain';
import { GetAttainmentSeries } from '#projections';
import { IsIn } from 'class-validator';
import { InvalidRequest } from '../../http-errors/request-validation.js';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { AsKnownQuery } from '../../read-models/read-query.dto.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { IsLocalDate, IsOnOrAfter } from '../../validation/validators.js';
import { AttainmentSeriesAnswer } from '../attainment.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

/** A page of a series: longer periods are read a year at a time. */
export const MAX_SERIES_DAYS = 366;

class AttainmentSeriesQuery extends AsKnownQuery {
  @ApiProperty({
    enum: SCHEME_SCOPES,
    description: 'A scheme or a scheme group (its members added up).',
    example: 'voluntary-social-insurance',
  })
  @IsIn(SCHEME_SCOPES)
  scheme!: SchemeScope;

  @ApiProperty({ description: 'First day.', example: '2024-09-01' })
  @IsLocalDate()
  from!: string;

  @ApiProperty({
    description: `Last day; at most ${MAX_SERIES_DAYS} days after from.`,
    example: '2024-10-31',
  })
  @IsOnOrAfter('from')
  @IsLocalDate()
  to!: string;
}

@ApiTags('Attainment')
@Controller('units/:unitId/attainment/series')
export class GetAttainmentSeriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiRead(
    'The daily series of a unit and scheme: participants, plan in force, attainment, changes, coverage.',
    AttainmentSeriesAnswer,
  )
  get(
    @Param('unitId', new EntityIdPipe('unitId')) unitId: string,
    @Query() query: AttainmentSeriesQuery,
  ) {
    if (daysBetween(query.from, query.to) >= MAX_SERIES_DAYS) {
      throw new InvalidRequest([
        { field: 'to', reason: `must be less than ${MAX_SERIES_DAYS} days after from` },
      ]);
    }
    return this.queries.execute(
      new GetAttainmentSeries(unitId, query.scheme, query.from, query.to, {
        ...readOptions(query),
        knownOn: query.knownOn,
      }),
    );
  }
}
