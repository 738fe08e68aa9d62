import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsNotBlank } from '../../validation/validators.js';

export class CloseCampaignEarlyRequest extends CommandRequest {
  @ApiProperty({ description: 'The campaign, as named at launch.', example: 'DN-PEAK-2025-12' })
  @IsEntityId()
  campaignId!: string;

  @ApiProperty({
    description: 'On or after the start date and before the end date.',
    example: '2025-12-25',
  })
  @IsLocalDate()
  closedOn!: string;

  @ApiProperty({ description: 'Why it closes early.', example: 'Objectives met ahead of time' })
  @MaxLength(1000)
  @IsNotBlank()
  @IsString()
  reason!: string;
}
