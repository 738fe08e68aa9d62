import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type Actor } from '../../auth/actor.js';
import { CurrentActor, Roles } from '../../auth/auth.decorators.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { ReadModelVerifications, type VerificationRecord } from './read-model-verifications.js';
import { VerificationRecordDto } from './verify-read-models.dto.js';
import { ProjectionNamesRequest } from '../../admin/projection-names.request.dto.js';

@ApiTags('Audit')
@ApiBearerAuth()
@Controller('audit/read-models/verifications')
export class VerifyReadModelsController {
  constructor(private readonly verifications: ReadModelVerifications) {}

  @Post()
  @Roles('admin', 'auditor')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Verify read models: replay the whole log into scratch tables and compare them, by ' +
      'content digest, with the live tables at the live checkpoint. Writes no facts; the ' +
      'scratch tables are dropped. Follow it at GET /audit/read-models/verifications/{id}.',
  })
  @ApiAcceptedResponse({ type: VerificationRecordDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'The body is invalid.' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only auditors and admins verify.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No projection of that name.' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'A verification is running, a projection is being rebuilt, or this process does not run ' +
      'it (see the projector).',
  })
  verify(
    @Body() request: ProjectionNamesRequest,
    @CurrentActor() actor: Actor,
  ): VerificationRecord {
    return this.verifications.start(request.projections, actor.id);
  }
}
