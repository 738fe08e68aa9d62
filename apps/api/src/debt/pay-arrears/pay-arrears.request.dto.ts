import { ApiProperty } from '@nestjs/swagger';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsWholeNumber } from '../../validation/validators.js';

export class PayArrearsRequest extends CommandRequest {
  @ApiProperty({ description: "The employer's code (e.g. its tax code).", example: '3600252847' })
  @IsEntityId()
  employerId!: string;

  @ApiProperty({
    description:
      'Whole VND paid against the arrears; at most the overdue not classified unrecoverable.',
    example: 2_500_000_000,
  })
  @IsWholeNumber({ positive: true })
  amount!: number;

  @ApiProperty({ description: 'When the money was received.', example: '2025-12-15' })
  @IsLocalDate()
  paidOn!: string;
}
