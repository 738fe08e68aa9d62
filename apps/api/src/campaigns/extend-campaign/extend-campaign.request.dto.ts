import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsNotBlank } from '../../validation/validators.js';

export class ExtendCampaignRequest extends CommandRequest {
  @ApiProperty({ description: 'The campaign, as named at launch.', example: 'DN-PEAK-2025-12' })
  @IsEntityId()
  campaignId!: string;

  @ApiProperty({
    description: 'The new last day, later than the current one.',
    example: '2026-01-10',
  })
  @IsLocalDate()
  endDate!: string;

  @ApiProperty({
    description: 'Why the campaign runs longer.',
    example: 'Results lag in the southern communes',
  })
  @MaxLength(1000)
  @IsNotBlank()
  @IsString()
  reason!: string;

  @ApiPropertyOptional({
    description:
      'When the extension was decided, no later than the current end date; defaults to today ' +
      'in Vietnam.',
    example: '2025-12-28',
  })
  @IsOptional()
  @IsLocalDate()
  extendedOn?: string;
}
