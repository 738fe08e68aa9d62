import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsLocalDate } from '../validation/validators.js';

/** Query parameters every read route takes. */
export class ReadQuery {
  @ApiPropertyOptional({
    description:
      'Wait (up to 5 s) until the read models have applied this log position, e.g. the ' +
      '`position` a command answered: read your own write. 503 if they do not get there.',
    example: 8767,
  })
  @IsOptional()
  @Min(1)
  @IsInt()
  @Type(() => Number)
  waitForPosition?: number;
}

/** Query parameters of a paged list. */
export class PageQuery extends ReadQuery {
  @ApiPropertyOptional({ description: 'Items per page (1–200).', example: 50, default: 50 })
  @IsOptional()
  @Max(200)
  @Min(1)
  @IsInt()
  @Type(() => Number)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'Items to skip.', example: 0, default: 0 })
  @IsOptional()
  @Min(0)
  @IsInt()
  @Type(() => Number)
  offset: number = 0;
}

/** What every read answer carries besides its data. */
export class ReadAnswerDto {
  @ApiProperty({
    description: 'The log position the answer reflects (read models checkpoint).',
    example: 8767,
  })
  position!: number;

  @ApiProperty({ description: 'The last position in the log when it was read.', example: 8767 })
  head!: number;

  @ApiProperty({
    description: 'head − position: how many positions the answer may lag.',
    example: 0,
  })
  lag!: number;
}

/** Reads that can leave out corrections made after a business date. */
export class AsKnownQuery extends ReadQuery {
  @ApiPropertyOptional({
    description:
      'Read the figures as they were known on this business date: corrections made later ' +
      '(e.g. a restatement) are left out. Defaults to everything known now.',
    example: '2024-10-31',
  })
  @IsOptional()
  @IsLocalDate()
  knownOn?: string;
}
