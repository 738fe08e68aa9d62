import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsWholeNumber, IsNotBlank } from '../../validation/validators.js';

export class WriteOffArrearsRequest extends CommandRequest {
  @ApiProperty({ description: "The employer's code (e.g. its tax code).", example: '3600252847' })
  @IsEntityId()
  employerId!: string;

  @ApiProperty({
    description: 'Whole VND written off; at most the unrecoverable part still outstanding.',
    example: 34_000_000_000,
  })
  @IsWholeNumber({ positive: true })
  amount!: number;

  @ApiProperty({ description: 'The decision that wrote it off.', example: 'QD 99/QD-BHXH' })
  @MaxLength(200)
  @IsNotBlank()
  @IsString()
  decisionRef!: string;

  @ApiProperty({ description: 'The date of the write-off decision.', example: '2025-12-20' })
  @IsLocalDate()
  writtenOffOn!: string;
}
