import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { GetHistory } from '#projections';
import { Roles } from '../../auth/auth.decorators.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { readOptions } from '../../read-models/read-query.dto.js';
import { AUDIT_READERS, AuditPageAnswer } from '../audit.dto.js';
import { HistoryQuery } from './history.request.dto.js';

@ApiTags('Audit')
@Controller('audit/events')
export class GetHistoryController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles(...AUDIT_READERS)
  @ApiRead(
    'The log, filtered by stream, unit (with everything below it), actor, type, record time ' +
      'and business date, in log order, a page at a time; each event with who recorded it, ' +
      'when, its business date, its source and its data.',
    AuditPageAnswer,
  )
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only auditors and admins.' })
  history(@Query() query: HistoryQuery) {
    return this.queries.execute(
      new GetHistory(
        {
          streamId: query.streamId,
          unitId: query.unitId,
          actor: query.actor,
          types: query.type,
          recordedFrom: query.recordedFrom ? new Date(query.recordedFrom) : undefined,
          recordedTo: query.recordedTo ? new Date(query.recordedTo) : undefined,
          businessFrom: query.businessFrom,
          businessTo: query.businessTo,
        },
        { after: query.after, limit: query.limit },
        readOptions(query),
      ),
    );
  }
}
