import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type ErrorResponse, type FieldError } from './error-response.js';

class FieldErrorDto implements FieldError {
  @ApiProperty({ example: 'effectiveDate' })
  field!: string;

  @ApiProperty({ example: 'must be a real calendar date written YYYY-MM-DD' })
  reason!: string;
}

/** The OpenAPI description of `ErrorResponse`. */
export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ description: 'A stable, machine-readable code.', example: 'validation_failed' })
  error!: string;

  @ApiProperty({
    example: 'Invalid request: effectiveDate must be a real calendar date written YYYY-MM-DD',
  })
  message!: string;

  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'Each field at fault, with the reason.',
  })
  fields?: FieldError[];

  @ApiPropertyOptional({ example: '3f1d6c0e-5d0a-4bd2-9d6c-8f5b8a7f6a11' })
  correlationId?: string;
}
