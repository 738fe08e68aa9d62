import { type Type, applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../http-errors/error-response.dto.js';

/** The OpenAPI description every read route shares; `description` defines its figures. */
export const ApiRead = (summary: string, answer: Type, description?: string) =>
  applyDecorators(
    ApiOperation({ summary, description }),
    ApiBearerAuth(),
    ApiOkResponse({ type: answer }),
    ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A parameter is invalid.' }),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token.' }),
    ApiNotFoundResponse({
      type: ErrorResponseDto,
      description: 'The unit (or other subject) is not in the read models.',
    }),
    ApiServiceUnavailableResponse({
      type: ErrorResponseDto,
      description: 'waitForPosition was not reached in time (`read_model_behind`).',
    }),
  );
