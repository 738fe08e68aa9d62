import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsNotBlank } from '../../validation/validators.js';

export class RenameUnitRequest extends CommandRequest {
  @ApiProperty({ example: 'HP-LC' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({ example: 'Le Chan Ward' })
  @MaxLength(200)
  @IsNotBlank()
  @IsString()
  name!: string;

  @ApiProperty({ example: '2025-07-01' })
  @IsLocalDate()
  effectiveDate!: string;
}
