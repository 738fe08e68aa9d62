import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsNotBlank } from '../../validation/validators.js';

export class WaiveMilestoneRequest extends CommandRequest {
  @ApiProperty({ description: 'The milestone, as named when set.', example: 'HP-3P-2024' })
  @IsEntityId()
  milestoneId!: string;

  @ApiProperty({ description: 'A unit under the milestone’s scope.', example: 'HP-TN-AL' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({
    description: 'Why the unit is excused.',
    example: 'Its only collection point closed in the merger',
  })
  @MaxLength(1000)
  @IsNotBlank()
  @IsString()
  reason!: string;

  @ApiPropertyOptional({
    description: 'When the waiver was granted; defaults to today in Vietnam.',
    example: '2024-10-10',
  })
  @IsOptional()
  @IsLocalDate()
  waivedOn?: string;
}
