import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { ReadModelVerifications, type VerificationRecord } from './read-model-verifications.js';
import { VerificationListAnswer, VerificationRecordDto } from './verify-read-models.dto.js';

@ApiTags('Audit')
@ApiBearerAuth()
@Roles('admin', 'auditor')
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only auditors and admins.' })
@Controller('audit/read-models/verifications')
export class ReadModelVerificationsController {
  constructor(private readonly verifications: ReadModelVerifications) {}

  @Get()
  @ApiOperation({ summary: 'Read-model verifications started through this process, latest first.' })
  @ApiOkResponse({ type: VerificationListAnswer })
  list(): { verifications: VerificationRecord[] } {
    return { verifications: this.verifications.all() };
  }

  @Get(':id')
  @ApiOperation({
    summary: "One verification: its state, each projection's tables compared, and overall match.",
  })
  @ApiOkResponse({ type: VerificationRecordDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No verification of that id here.' })
  get(@Param('id') id: string): VerificationRecord {
    return this.verifications.get(id);
  }
}
