import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CAMPAIGN_METRICS,
  type CampaignMetric,
  OBJECTIVE_DIRECTIONS,
  type ObjectiveDirection,
  RATIO_MEASURES,
  type RatioMeasure,
  SCHEME_SCOPES,
  type SchemeScope,
} from '#domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import {
  IsEntityId,
  IsLocalDate,
  IsOnOrAfter,
  IsWholeNumber,
  IsNotBlank,
} from '../../validation/validators.js';

export class CampaignObjectiveRequest {
  @ApiProperty({ description: 'Unique within the campaign.', example: 'health-participants' })
  @IsEntityId()
  objectiveId!: string;

  @ApiPropertyOptional({
    enum: SCHEME_SCOPES,
    description:
      'A scheme, or a scheme group whose members are added up (social-insurance; ' +
      'all-schemes for every scheme). Required for participants and contributions; ' +
      'optional for debt recovered.',
    example: 'health-insurance',
  })
  @IsOptional()
  @IsIn(SCHEME_SCOPES)
  scheme?: SchemeScope;

  @ApiProperty({
    enum: CAMPAIGN_METRICS,
    description:
      'participants: people enrolled; contributions: whole VND collected; debt-recovered: ' +
      'whole VND of overdue arrears paid; late-payment-ratio: overdue / amount due of the ' +
      "scope's employers.",
    example: 'participants',
  })
  @IsIn(CAMPAIGN_METRICS)
  metric!: CampaignMetric;

  @ApiProperty({
    description:
      'What the campaign should achieve in its window: whole people or VND; basis points for ' +
      'late-payment-ratio (140 = 1.40%).',
    example: 60_000,
  })
  @IsWholeNumber({ positive: true })
  target!: number;

  @ApiPropertyOptional({
    enum: OBJECTIVE_DIRECTIONS,
    description:
      'Required for a ratio objective: at-most for a ceiling ("under 1.4%"), at-least for a floor.',
    example: 'at-most',
  })
  @IsOptional()
  @IsIn(OBJECTIVE_DIRECTIONS)
  direction?: ObjectiveDirection;

  @ApiPropertyOptional({
    enum: RATIO_MEASURES,
    description:
      'Required for a ratio objective: window = every contribution period the window ' +
      'touches together; window-end = the period it ends in ("as of its end").',
    example: 'window-end',
  })
  @IsOptional()
  @IsIn(RATIO_MEASURES)
  measuredOver?: RatioMeasure;
}

export class LaunchCampaignRequest extends CommandRequest {
  @ApiProperty({
    description: 'A code chosen by the office; the stream is campaign-<id>.',
    example: 'DN-PEAK-2025-12',
  })
  @IsEntityId()
  campaignId!: string;

  @ApiProperty({ description: 'The name managers know it by.', example: '20-day peak campaign' })
  @MaxLength(300)
  @IsNotBlank()
  @IsString()
  name!: string;

  @ApiProperty({ description: 'The first day of the campaign.', example: '2025-12-12' })
  @IsLocalDate()
  startDate!: string;

  @ApiProperty({
    description: 'The last day of the campaign; it ends by itself the day after.',
    example: '2025-12-31',
  })
  @IsOnOrAfter('startDate')
  @IsLocalDate()
  endDate!: string;

  @ApiProperty({
    description: 'The units it covers, with everything below them; none may lie under another.',
    example: ['DN'],
  })
  @IsEntityId({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(500)
  @ArrayMinSize(1)
  @IsArray()
  scopeUnitIds!: string[];

  @ApiProperty({
    type: [CampaignObjectiveRequest],
    description: 'What the campaign must achieve in its window and scope; at least one.',
    example: [
      { objectiveId: 'health', scheme: 'health-insurance', metric: 'participants', target: 60000 },
      { objectiveId: 'debt', metric: 'debt-recovered', target: 300000000000 },
    ],
  })
  @ValidateNested({ each: true })
  @Type(() => CampaignObjectiveRequest)
  @ArrayMaxSize(50)
  @ArrayMinSize(1)
  @IsArray()
  objectives!: CampaignObjectiveRequest[];
}
