import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { GetAttainmentLineage } from '#projections';
import { Roles } from '../../auth/auth.decorators.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { readOptions } from '../../read-models/read-query.dto.js';
import { AUDIT_READERS, AttainmentFigureQuery, AuditPageAnswer } from '../audit.dto.js';

@ApiTags('Audit')
@Controller('audit/lineage/attainment')
export class GetAttainmentLineageController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles(...AUDIT_READERS)
  @ApiRead(
    'The events a unit’s attainment of a scheme on a date is computed from, with who recorded ' +
      'each: participation facts of the unit and every unit below it counting on or before the ' +
      'date, the events of its plan in force for the year, and the unit changes that decide ' +
      'what rolls up into it.',
    AuditPageAnswer,
  )
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only auditors and admins.' })
  lineage(@Query() query: AttainmentFigureQuery) {
    return this.queries.execute(
      new GetAttainmentLineage(
        query.unitId,
        query.scheme,
        query.date,
        { after: query.after, limit: query.limit },
        readOptions(query),
      ),
    );
  }
}
