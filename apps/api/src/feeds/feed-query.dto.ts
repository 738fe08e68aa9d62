import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

/** One message of a change feed, for the OpenAPI document. */
export class FeedMessageDto {
  @ApiProperty({
    description: 'SSE `id`: the log position the snapshot reflects; send it back as Last-Event-ID.',
    example: '8767',
  })
  id!: string;

  @ApiProperty({ description: 'SSE `event`: the feed’s event type.', example: 'attainment' })
  type!: string;

  @ApiProperty({
    description: 'The same answer as the matching GET route: { data, position, head, lag }.',
  })
  data!: object;
}
