import { ApiProperty } from '@nestjs/swagger';
import { UNRECOVERABLE_REASONS, type UnrecoverableReason } from '#domain';
import { IsIn } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsWholeNumber } from '../../validation/validators.js';

export class ClassifyArrearsUnrecoverableRequest extends CommandRequest {
  @ApiProperty({ description: "The employer's code (e.g. its tax code).", example: '3600252847' })
  @IsEntityId()
  employerId!: string;

  @ApiProperty({
    enum: UNRECOVERABLE_REASONS,
    description: 'Why it cannot be recovered.',
    example: 'bankrupt',
  })
  @IsIn(UNRECOVERABLE_REASONS)
  reason!: UnrecoverableReason;

  @ApiProperty({
    description: 'Whole VND of the outstanding overdue that cannot be recovered.',
    example: 134_000_000_000,
  })
  @IsWholeNumber({ positive: true })
  amount!: number;

  @ApiProperty({ description: 'When it was classified.', example: '2025-12-10' })
  @IsLocalDate()
  classifiedOn!: string;
}
