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
import { Roles } from '../../auth/auth.decorators.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { RebuildRecordDto } from '../admin.dto.js';
import { ProjectionNamesRequest } from '../projection-names.request.dto.js';
import { type RebuildRecord, Rebuilds } from '../rebuilds.js';

@ApiTags('Administration')
@ApiBearerAuth()
@Controller('admin/projections/rebuilds')
export class RebuildProjectionsController {
  constructor(private readonly rebuilds: Rebuilds) {}

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Rebuild several read models (all when none are named) blue/green with one read of the ' +
      'log: each page is applied to every fresh copy; each is swapped in when the replay ends. ' +
      'Follow them at GET /admin/projections.',
  })
  @ApiAcceptedResponse({ type: [RebuildRecordDto] })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'The body is invalid.' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only admins rebuild.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No projection of that name.' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'One of them is being rebuilt or verified, or this process does not run it (see the ' +
      'projector); none was started.',
  })
  rebuild(@Body() request: ProjectionNamesRequest): RebuildRecord[] {
    return this.rebuilds.start(request.projections);
  }
}
