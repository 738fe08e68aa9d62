import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { SearchUnits } from '#projections';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { PageQuery, readOptions } from '../../read-models/read-query.dto.js';
import { UnitSearchAnswer } from './search-units.dto.js';

class SearchUnitsQuery extends PageQuery {
  @ApiPropertyOptional({
    description:
      'Part of the name, with or without tone marks ("hai phong" finds "Hải Phòng"), or of ' +
      'the id. Without it, the units at the top of the hierarchy.',
    example: 'le chan',
  })
  @IsOptional()
  @MaxLength(100)
  @IsString()
  name?: string;
}

@ApiTags('Administrative units')
@Controller('units')
export class SearchUnitsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiRead(
    'Find units by name, each with the units above it and the latest day that has figures.',
    UnitSearchAnswer,
  )
  search(@Query() query: SearchUnitsQuery) {
    const name = query.name?.trim() || undefined;
    return this.queries.execute(
      new SearchUnits(name, { limit: query.limit, offset: query.offset }, readOptions(query)),
    );
  }
}
