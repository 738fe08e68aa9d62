import { ApiProperty } from '@nestjs/swagger';
import {
  PUBLISHED_MEASURES,
  type PublishedMeasure,
  SCHEME_SCOPES,
  type SchemeScope,
} from '#domain';
import { IsIn, IsInt, IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsNotBlank, IsPastInstant } from '../../validation/validators.js';

export class RecordPublishedFigureRequest extends CommandRequest {
  @ApiProperty({
    description: 'A code for the report, bulletin or article; its figures share it.',
    example: 'HP-2024-10-EARLY',
  })
  @IsEntityId()
  publicationId!: string;

  @ApiProperty({
    description: 'Where it was published.',
    example: 'BHXH Hai Phong, report of early October 2024',
  })
  @MaxLength(300)
  @IsNotBlank()
  @IsString()
  publishedIn!: string;

  @ApiProperty({
    description:
      'When it was published, with its offset: the figure is compared with what the service knew then.',
    example: '2024-10-04T10:00:00+07:00',
  })
  @IsPastInstant()
  publishedAt!: string;

  @ApiProperty({ description: 'The office or person who published it.', example: 'BHXH Hai Phong' })
  @MaxLength(200)
  @IsNotBlank()
  @IsString()
  publishedBy!: string;

  @ApiProperty({ description: 'The unit the figure is about.', example: 'HP' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({
    enum: SCHEME_SCOPES,
    description: 'A scheme or a scheme group (social-insurance, all-schemes).',
    example: 'voluntary-social-insurance',
  })
  @IsIn(SCHEME_SCOPES)
  scheme!: SchemeScope;

  @ApiProperty({
    enum: PUBLISHED_MEASURES,
    description:
      'What the figure states, as the attainment read names it: participants, attainment or ' +
      'coverage (basis points: 7284 = 72.84%), or a change in participants.',
    example: 'participants',
  })
  @IsIn(PUBLISHED_MEASURES)
  measure!: PublishedMeasure;

  @ApiProperty({ description: 'The business date the figure is for.', example: '2024-09-30' })
  @IsLocalDate()
  date!: string;

  @ApiProperty({
    description: 'The value as published: people, or basis points for a share.',
    example: 36_520,
  })
  @IsInt()
  value!: number;
}
