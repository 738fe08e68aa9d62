import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class ExportLogQuery {
  @ApiPropertyOptional({
    description:
      'Events recorded at or after this time (ISO 8601); the start of the log when absent.',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be an ISO 8601 timestamp' })
  from?: string;

  @ApiPropertyOptional({
    description: 'Events recorded before this time (ISO 8601); up to the head when absent.',
    example: '2026-07-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be an ISO 8601 timestamp' })
  to?: string;
}
