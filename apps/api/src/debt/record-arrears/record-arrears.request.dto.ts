import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import {
  IsEntityId,
  IsLocalDate,
  IsMonth,
  IsWholeNumber,
  IsNotBlank,
} from '../../validation/validators.js';

export class RecordArrearsRequest extends CommandRequest {
  @ApiProperty({ description: "The employer's code (e.g. its tax code).", example: '3600252847' })
  @IsEntityId()
  employerId!: string;

  @ApiProperty({
    description: "The employer's name, kept with every event about its debt.",
    example: 'Tin Nghia Corporation',
  })
  @MaxLength(300)
  @IsNotBlank()
  @IsString()
  employerName!: string;

  @ApiProperty({ description: 'The unit the employer belongs to.', example: 'DN' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({
    description: 'The contribution period; recording a period again restates it.',
    example: '2025-11',
  })
  @IsMonth()
  period!: string;

  @ApiProperty({
    description: 'Contributions due for the period, in whole VND.',
    example: 9_500_000_000_000,
  })
  @IsWholeNumber()
  amountDue!: number;

  @ApiProperty({
    description: 'The part of it overdue, in whole VND; at most the amount due.',
    example: 1_100_000_000_000,
  })
  @IsWholeNumber()
  amountOverdue!: number;

  @ApiProperty({ description: 'When the figures were established.', example: '2025-12-05' })
  @IsLocalDate()
  recordedOn!: string;
}
