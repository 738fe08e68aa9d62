import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId } from '../../validation/validators.js';

export class SetMilestoneAlertRuleRequest extends CommandRequest {
  @ApiProperty({ description: 'The milestone watched.', example: 'HP-3P-2024' })
  @IsEntityId()
  milestoneId!: string;

  @ApiProperty({
    description: 'At risk once this many days or fewer remain with units pending (default 7).',
    example: 10,
  })
  @Max(366)
  @Min(0)
  @IsInt()
  atRiskDaysLeft!: number;
}

export class SetCampaignAlertRuleRequest extends CommandRequest {
  @ApiProperty({ description: 'The campaign watched.', example: 'DN-PEAK-2025-12' })
  @IsEntityId()
  campaignId!: string;

  @ApiProperty({
    description:
      'Behind once an objective falls short of its should-be line by more than this percentage ' +
      'of the line (default 10).',
    example: 5,
  })
  @Max(100)
  @Min(0)
  @IsInt()
  behindLinePercent!: number;
}
