import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate } from '../../validation/validators.js';

export class MergeUnitsRequest extends CommandRequest {
  @ApiProperty({ description: 'The units that cease to exist.', example: ['CT-OM-1', 'CT-OM-2'] })
  @IsEntityId({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(100)
  @ArrayMinSize(1)
  @IsArray()
  unitIds!: string[];

  @ApiProperty({
    description: 'The unit that takes them over; register it first if it is new.',
    example: 'CT-OM',
  })
  @IsEntityId()
  intoUnitId!: string;

  @ApiProperty({ example: '2025-07-01' })
  @IsLocalDate()
  effectiveDate!: string;

  @ApiPropertyOptional({
    description: 'The decision that ordered the merger.',
    example: 'NQ 1656/NQ-UBTVQH15',
  })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  decisionRef?: string;
}
