import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsNotBlank } from '../../validation/validators.js';

export class CancelCampaignRequest extends CommandRequest {
  @ApiProperty({ description: 'The campaign, as named at launch.', example: 'DN-PEAK-2025-12' })
  @IsEntityId()
  campaignId!: string;

  @ApiProperty({
    description: 'Why the campaign is called off.',
    example: 'Folded into the province-wide drive',
  })
  @MaxLength(1000)
  @IsNotBlank()
  @IsString()
  reason!: string;

  @ApiPropertyOptional({
    description: 'No later than the end date; defaults to today in Vietnam.',
    example: '2025-12-13',
  })
  @IsOptional()
  @IsLocalDate()
  cancelledOn?: string;
}
