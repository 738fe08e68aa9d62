import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotImplementedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { EventStore, type LogVerification } from '#event-store';
import { Roles } from '../../auth/auth.decorators.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { LogVerificationDto } from './log-verification.dto.js';
import { VerifyLogQuery } from './verify-log.query.dto.js';

@ApiTags('Audit')
@ApiBearerAuth()
@Controller('audit/log/verify')
export class VerifyLogController {
  constructor(private readonly store: EventStore) {}

  @Get()
  @Roles('admin', 'auditor')
  @ApiOperation({
    summary:
      "Walk the event log's hash chain in position order: its head position and hash when " +
      'intact, else the first event altered, deleted or inserted (docs/log-integrity.md). ' +
      'Keep the head position and hash, and pass them to a later verification: the log must ' +
      'still hold that event with that hash.',
  })
  @ApiOkResponse({ type: LogVerificationDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only admins and auditors.' })
  @ApiNotImplementedResponse({
    type: ErrorResponseDto,
    description: 'The KurrentDB event store keeps no hash chain.',
  })
  verify(@Query() { position, hash }: VerifyLogQuery): Promise<LogVerification> {
    return this.store.verifyLog(position && hash ? { position, hash } : undefined);
  }
}
