import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId } from '../../validation/validators.js';
import { WEBHOOK_URL, WEBHOOK_URL_MESSAGE } from '../webhook-url.js';

/** Where a rule's webhook posts: the field a request and the log share. */
class AlertWebhookUrl {
  @ApiProperty({
    description: 'Where the alerts are posted.',
    example: 'https://office.example/alerts',
  })
  @MaxLength(2000)
  @IsUrl(WEBHOOK_URL, WEBHOOK_URL_MESSAGE)
  url!: string;
}

/** A rule's webhook as the log records it: the secret only by its reference. */
export class AlertWebhookReference extends AlertWebhookUrl {
  @ApiProperty({
    description:
      'The reference (a UUID) of the secret signing the deliveries, as a rule set by ' +
      'PUT …/alert-rule recorded it (`webhook.secretRef` in its AlertRuleSet event).',
    example: '6f1c2b8e-4f7a-4d1e-9a43-2c1e5b7d9f00',
  })
  @IsUUID('all', { message: 'secretRef must be a UUID' })
  secretRef!: string;
}

/** A rule's webhook as a request sets it. */
export class AlertWebhookRequest extends AlertWebhookUrl {
  @ApiProperty({
    description:
      'HMAC-SHA256 key of `X-Signature` (32–200 characters). Kept by the service, outside ' +
      'the log; the rule records a random reference to it (secretRef).',
    example: 'office-webhook-secret-of-at-least-32-characters',
  })
  @MaxLength(200)
  @MinLength(32)
  @IsString()
  secret!: string;
}

/** Fields every alert rule's command takes besides its thresholds. */
class AlertRuleCommand extends CommandRequest {
  @ApiPropertyOptional({
    type: AlertWebhookReference,
    nullable: true,
    description: "Post this subject's alerts here instead of the service's webhook.",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => AlertWebhookReference)
  webhook?: AlertWebhookReference | null;
}

export class SetMilestoneAlertRuleRequest extends AlertRuleCommand {
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

export class SetCampaignAlertRuleRequest extends AlertRuleCommand {
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

  @ApiPropertyOptional({
    description: '… on each of this many days in a row, today included (1–90, default 1).',
    example: 3,
    default: 1,
  })
  @IsOptional()
  @Max(90)
  @Min(1)
  @IsInt()
  behindForDays?: number;
}

/** An organization's or agent's month (the thresholds of the performance rankings). */
class PerformanceAlertRuleCommand extends AlertRuleCommand {
  @ApiProperty({
    description:
      "Under-performing when the month's new participants are below this percentage of a " +
      'twelfth of the yearly target (default 80)…',
    example: 80,
  })
  @Max(1000)
  @Min(0)
  @IsInt()
  developmentPercent!: number;

  @ApiProperty({
    description:
      '… or when fewer than this percentage of the renewals due in the month were paid on time (default 80).',
    example: 80,
  })
  @Max(100)
  @Min(0)
  @IsInt()
  retentionPercent!: number;
}

export class SetOrganizationAlertRuleRequest extends PerformanceAlertRuleCommand {
  @ApiProperty({ description: 'The organization watched.', example: 'COOP-LM' })
  @IsEntityId()
  organizationId!: string;
}

export class SetAgentAlertRuleRequest extends PerformanceAlertRuleCommand {
  @ApiProperty({ description: 'The agent watched.', example: 'A-LM-04' })
  @IsEntityId()
  agentId!: string;
}

export class SetUnitAlertRuleRequest extends AlertRuleCommand {
  @ApiProperty({ description: 'The unit watched.', example: 'HP' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({
    description:
      "Below plan when the unit's participants at a month's end are below this percentage of " +
      'the participants plan in force (default 80).',
    example: 90,
  })
  @Max(1000)
  @Min(0)
  @IsInt()
  attainmentBelowPercent!: number;
}
