import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { GetUnitDebt } from '#projections';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { DEBT_FIGURES, DebtQuery, UnitDebtAnswer, monthOf, rangeOf } from '../debt-figures.dto.js';
import { readOptions } from '../../read-models/read-query.dto.js';

@ApiTags('Debt')
@Controller('units/:unitId/debt')
export class GetUnitDebtController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiRead(
    'Debt of the employers of a unit and every unit below it for a period: due, overdue, ' +
      'late-payment ratio, unrecoverable, written off and recovered.',
    UnitDebtAnswer,
    DEBT_FIGURES,
  )
  get(@Param('unitId', new EntityIdPipe('unitId')) unitId: string, @Query() query: DebtQuery) {
    return this.queries.execute(
      new GetUnitDebt(unitId, monthOf(query), rangeOf(query), readOptions(query)),
    );
  }
}
