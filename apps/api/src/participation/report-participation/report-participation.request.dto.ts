import { SCHEMES, type Scheme } from '#domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsWholeNumber } from '../../validation/validators.js';

export class ReportParticipationRequest extends CommandRequest {
  @ApiProperty({ description: 'An active registered unit, at any level.', example: 'HP' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({ enum: SCHEMES, example: 'compulsory-social-insurance' })
  @IsIn(SCHEMES)
  scheme!: Scheme;

  @ApiProperty({
    description:
      'The date the figures are for: one report per date, after the opening stock if there is one.',
    example: '2024-10-31',
  })
  @IsLocalDate()
  date!: string;

  @ApiProperty({ description: 'Participants who joined.', example: 3_120 })
  @IsWholeNumber()
  gains!: number;

  @ApiProperty({
    description: 'Participants who left; the running stock may never fall below zero.',
    example: 1_045,
  })
  @IsWholeNumber()
  stops!: number;
}
