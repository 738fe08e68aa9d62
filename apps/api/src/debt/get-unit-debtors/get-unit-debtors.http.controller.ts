import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags, IntersectionType } from '@nestjs/swagger';
import { DEBTOR_SORTS, type DebtorSort, GetUnitDebtors, type SortOrder } from '#projections';
import { IsIn, IsOptional } from 'class-validator';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { PageQuery } from '../../read-models/read-query.dto.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import {
  DEBT_FIGURES,
  DebtQuery,
  UnitDebtorsAnswer,
  monthOf,
  rangeOf,
} from '../debt-figures.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

class Sorting {
  @ApiPropertyOptional({
    enum: DEBTOR_SORTS,
    description:
      "Sort by the period's overdue amount (the default), the outstanding or unrecoverable " +
      'balance, the amount recovered in the range, or the name; ties by employer id.',
    default: 'overdue',
  })
  @IsOptional()
  @IsIn(DEBTOR_SORTS)
  sort: DebtorSort = 'overdue';

  @ApiPropertyOptional({
    enum: ['desc', 'asc'],
    description: 'Largest first by default; alphabetical (asc) by default when sorting by name.',
  })
  @IsOptional()
  @IsIn(['desc', 'asc'])
  order?: SortOrder;
}

class UnitDebtorsQuery extends IntersectionType(PageQuery, DebtQuery, Sorting) {}

@ApiTags('Debt')
@Controller('units/:unitId/debt/employers')
export class GetUnitDebtorsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiRead(
    'The employers in arrears for a period in a unit and every unit below it, with the same ' +
      'figures each, sortable by overdue, paged.',
    UnitDebtorsAnswer,
    DEBT_FIGURES,
  )
  list(
    @Param('unitId', new EntityIdPipe('unitId')) unitId: string,
    @Query() query: UnitDebtorsQuery,
  ) {
    return this.queries.execute(
      new GetUnitDebtors(
        unitId,
        monthOf(query),
        rangeOf(query),
        { by: query.sort, order: query.order ?? (query.sort === 'name' ? 'asc' : 'desc') },
        { limit: query.limit, offset: query.offset },
        readOptions(query),
      ),
    );
  }
}
