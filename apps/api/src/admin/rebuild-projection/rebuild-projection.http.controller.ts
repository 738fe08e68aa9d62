import { Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { RebuildRecordDto } from '../admin.dto.js';
import { type RebuildRecord, Rebuilds } from '../rebuilds.js';

@ApiTags('Administration')
@ApiBearerAuth()
@Controller('admin/projections/:projection/rebuild')
export class RebuildProjectionController {
  constructor(private readonly rebuilds: Rebuilds) {}

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Rebuild a read model blue/green: replay the log into fresh tables while the live ones ' +
      'keep answering, then swap. Follow it at GET /admin/projections.',
  })
  @ApiAcceptedResponse({ type: RebuildRecordDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only admins rebuild.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No projection of that name.' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'A rebuild of it is running, or this process does not run it (see the projector).',
  })
  rebuild(@Param('projection') projection: string): RebuildRecord {
    return this.rebuilds.start([projection])[0];
  }
}
