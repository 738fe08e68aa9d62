import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { IsLocalDate } from '../validation/validators.js';

/** Query parameters every feed takes. */
export class FeedQuery {
  @ApiPropertyOptional({
    description: 'A token from POST /auth/stream-token, for EventSource (no headers).',
  })
  @IsOptional()
  @IsString()
  access_token?: string;
}

/** Query parameters of the campaign and milestone feeds. */
export class AsOfFeedQuery extends FeedQuery {
  @ApiPropertyOptional({
    description: 'The business date the figures are for; today in Vietnam when absent.',
    example: '2025-12-20',
  })
  @IsOptional()
  @IsLocalDate()
  asOf?: string;
}
