import { SCHEMES, type Scheme } from '#domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsWholeNumber } from '../../validation/validators.js';

export class RecordOpeningStockRequest extends CommandRequest {
  @ApiProperty({ description: 'An active registered unit, at any level.', example: 'HP' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({ enum: SCHEMES, example: 'compulsory-social-insurance' })
  @IsIn(SCHEMES)
  scheme!: Scheme;

  @ApiProperty({
    description: 'The date of the count: once per unit and scheme, before any reported date.',
    example: '2024-09-30',
  })
  @IsLocalDate()
  date!: string;

  @ApiProperty({ description: 'Participants at the end of that date.', example: 495_856 })
  @IsWholeNumber()
  participants!: number;
}
