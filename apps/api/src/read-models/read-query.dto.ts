import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { type ReadOptions } from '#projections';
import { IsLocalDate, IsPastInstant } from '../validation/validators.js';

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

  @ApiPropertyOptional({
    description:
      'Answer as the service would have at this time: from the events recorded up to then ' +
      '(late corrections and plan revisions recorded later are left out). The first read ' +
      'at a new point of the log builds a snapshot and may answer 503 `known_at_building`; ' +
      'retry. Cannot be combined with waitForPosition.',
    example: '2024-10-31T17:00:00+07:00',
  })
  @IsOptional()
  @IsPastInstant()
  @IsEmptyWith('waitForPosition')
  knownAt?: string;
}

/** The reader's options a read route's query parameters ask for. */
export function readOptions(query: ReadQuery): ReadOptions {
  return {
    waitForPosition: query.waitForPosition,
    ...(query.knownAt !== undefined ? { knownAt: new Date(query.knownAt) } : {}),
  };
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

  @ApiPropertyOptional({
    description: 'For a read with knownAt: the time asked and the log position it resolved to.',
    example: { at: '2024-10-31T10:00:00.000Z', position: 5120 },
  })
  knownAt?: { at: string; position: number };

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

/** This parameter cannot be given together with `other`. */
function IsEmptyWith(other: string, options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isEmptyWith',
      validator: {
        validate: (_value, args) => (args?.object as Record<string, unknown>)[other] === undefined,
        defaultMessage: () => `$property cannot be combined with ${other}`,
      },
    },
    options,
  );
}
