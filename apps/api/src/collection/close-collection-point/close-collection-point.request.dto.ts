import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsNotBlank } from '../../validation/validators.js';

export class CloseCollectionPointRequest extends CommandRequest {
  @ApiProperty({ example: 'P-LC-1' })
  @IsEntityId()
  pointId!: string;

  @ApiProperty({ description: 'Not earlier than the day it opened.', example: '2024-12-31' })
  @IsLocalDate()
  closedOn!: string;

  @ApiProperty({ example: 'Merged with P-LC-2 after the ward merger' })
  @MaxLength(500)
  @IsNotBlank()
  @IsString()
  reason!: string;
}
