import { HttpCode, HttpStatus, applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOperation,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  ApiBadRequestResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../http-errors/error-response.dto.js';
import { Recorded } from './recorded.js';

/** The OpenAPI description every command route shares. */
export const ApiCommand = (summary: string) =>
  applyDecorators(
    HttpCode(HttpStatus.CREATED),
    ApiOperation({ summary }),
    ApiBearerAuth(),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes retries safe: a repeat with the same key appends nothing and returns the first ' +
        'result; the same key with a different request is refused (422). Keys are per actor: ' +
        "another actor's request with the same key is its own.",
    }),
    ApiCreatedResponse({
      type: Recorded,
      description: 'Recorded; the body says where in the log.',
    }),
    ApiBadRequestResponse({
      type: ErrorResponseDto,
      description: 'A field is missing or invalid.',
    }),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token.' }),
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description: 'The token lacks the role or organization.',
    }),
    ApiConflictResponse({
      type: ErrorResponseDto,
      description: 'The fact clashes with what is recorded (e.g. already enrolled).',
    }),
    ApiUnprocessableEntityResponse({
      type: ErrorResponseDto,
      description: 'A business rule refuses it, or it names something never recorded.',
    }),
  );
