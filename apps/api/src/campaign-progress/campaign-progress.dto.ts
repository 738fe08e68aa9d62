import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  CAMPAIGN_METRICS,
  type CampaignMetric,
  OBJECTIVE_DIRECTIONS,
  type ObjectiveDirection,
  RATIO_MEASURES,
  type RatioMeasure,
  SCHEMES,
  SCHEME_SCOPES,
  type Scheme,
  type SchemeScope,
} from '#domain';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '#projections';
import { UnitDto } from '../attainment/attainment.dto.js';
import { ReadAnswerDto } from '../read-models/read-query.dto.js';

class CampaignObjectiveDto {
  @ApiProperty({ description: 'Unique within the campaign.', example: 'debt-recovered' })
  objectiveId!: string;

  @ApiProperty({
    // OpenAPI 3.0: a nullable enum lists null among its values.
    enum: [...SCHEME_SCOPES, null],
    description:
      'The scheme or scheme group counted (a group adds up its members); null for debt recovered.',
    example: null,
    nullable: true,
  })
  scheme!: SchemeScope | null;

  @ApiProperty({
    enum: CAMPAIGN_METRICS,
    description:
      'participants: net development (gains − stops + resumptions); contributions: VND ' +
      'collected; debt-recovered: VND of arrears paid; late-payment-ratio: overdue / amount due.',
    example: 'debt-recovered',
  })
  metric!: CampaignMetric;

  @ApiProperty({
    description:
      'What the campaign should achieve in its window; basis points for a ratio (140 = 1.40%).',
    example: 300_000_000_000,
  })
  target!: number;

  @ApiPropertyOptional({
    enum: OBJECTIVE_DIRECTIONS,
    description: 'Ratio objectives: a ceiling (at-most) or a floor (at-least).',
    example: 'at-most',
  })
  direction?: ObjectiveDirection;

  @ApiPropertyOptional({
    enum: RATIO_MEASURES,
    description:
      'Ratio objectives: over every contribution period of the window, or the period it ends in.',
    example: 'window-end',
  })
  measuredOver?: RatioMeasure;
}

export class CampaignDto {
  @ApiProperty({ example: 'DN-PEAK-2025-12' })
  campaignId!: string;

  @ApiProperty({ example: '20-day peak campaign' })
  name!: string;

  @ApiProperty({
    enum: CAMPAIGN_STATUSES,
    description: 'active until it ends (after its end date), is closed early or is cancelled.',
    example: 'ended',
  })
  status!: CampaignStatus;

  @ApiProperty({ description: 'First day.', example: '2025-12-10' })
  startDate!: string;

  @ApiProperty({ description: 'Last day as launched.', example: '2025-12-29' })
  plannedEndDate!: string;

  @ApiProperty({ description: 'Last day, extensions included.', example: '2025-12-29' })
  endDate!: string;

  @ApiProperty({
    type: String,
    description: 'The day it was closed early.',
    example: null,
    nullable: true,
  })
  closedOn!: string | null;

  @ApiProperty({
    type: String,
    description: 'The day it was cancelled.',
    example: null,
    nullable: true,
  })
  cancelledOn!: string | null;

  @ApiProperty({
    description: 'The last day counted: the end date, or the day it was closed or cancelled.',
    example: '2025-12-29',
  })
  lastDay!: string;

  @ApiProperty({
    description: 'The units it covers, with everything below them.',
    example: ['DN'],
  })
  scopeUnitIds!: string[];

  @ApiProperty({ type: [CampaignObjectiveDto], description: 'Its objectives and targets.' })
  objectives!: CampaignObjectiveDto[];
}

class CampaignListDto {
  @ApiProperty({ type: [CampaignDto], description: 'One page, latest start first.' })
  campaigns!: CampaignDto[];

  @ApiProperty({ description: 'How many campaigns match the filters.', example: 1 })
  total!: number;
}

export class CampaignListAnswer extends ReadAnswerDto {
  @ApiProperty({ type: CampaignListDto, description: 'The campaigns.' })
  data!: CampaignListDto;
}

class CampaignSummaryDto {
  @ApiProperty({ example: 'DN-PEAK-2025-12' })
  campaignId!: string;

  @ApiProperty({ example: '20-day peak campaign' })
  name!: string;

  @ApiProperty({ enum: CAMPAIGN_STATUSES, example: 'ended' })
  status!: CampaignStatus;

  @ApiProperty({ description: 'The units it covers, with everything below them.', example: ['DN'] })
  scopeUnitIds!: string[];
}

class CampaignWindowDto {
  @ApiProperty({ description: 'First day.', example: '2025-12-10' })
  startDate!: string;

  @ApiProperty({ description: 'Last day, extensions included.', example: '2025-12-29' })
  endDate!: string;

  @ApiProperty({ description: 'Last day as launched.', example: '2025-12-29' })
  plannedEndDate!: string;

  @ApiProperty({
    description: 'The last day counted: the end date, or the day it was closed early or cancelled.',
    example: '2025-12-29',
  })
  lastDay!: string;

  @ApiProperty({
    description: 'Days from the start to the end date: the span of the should-be line.',
    example: 20,
  })
  totalDays!: number;

  @ApiProperty({
    description: 'Days from the start to the last day counted (0 if cancelled before the start).',
    example: 20,
  })
  countedDays!: number;
}

class SeriesPointDto {
  @ApiProperty({ example: '2025-12-10' })
  date!: string;

  @ApiProperty({ description: 'Day of the campaign, 1 on its first day.', example: 1 })
  day!: number;

  @ApiProperty({ description: 'What the day added.', example: 1_901 })
  value!: number;

  @ApiProperty({ description: 'Achieved from the start to the end of the day.', example: 1_901 })
  achieved!: number;

  @ApiProperty({
    description: 'The straight should-be line: target × day / totalDays, rounded.',
    example: 3_000,
  })
  shouldBe!: number;
}

class ObjectiveProgressDto extends CampaignObjectiveDto {
  @ApiProperty({
    description:
      'Achieved in the window (to asOf) and scope: net development, VND collected or VND recovered.',
    example: 38_000,
  })
  achieved!: number;

  @ApiProperty({
    description:
      'What it is made of: gains, stops and resumptions for participants (gains alone is the ' +
      'gross development); collections for contributions; payments for debt recovered.',
    example: { gains: 46_057, stops: 8_057, resumptions: 0 },
  })
  breakdown!: Record<string, number>;

  @ApiProperty({
    description: 'achieved / target: the integers and the percent rounded for display.',
    example: { numerator: 38_000, denominator: 60_000, percent: 63.33 },
    nullable: true,
  })
  attainment!: object | null;

  @ApiProperty({ description: 'target − achieved, 0 once reached.', example: 22_000 })
  remaining!: number;

  @ApiProperty({
    description: 'Where the should-be line stands after the days elapsed.',
    example: 60_000,
  })
  shouldBe!: number;

  @ApiProperty({
    description: 'achieved − shouldBe: ahead of the line when positive.',
    example: -22_000,
  })
  aheadOfLine!: number;

  @ApiProperty({
    type: Number,
    description: 'Achieved per day elapsed; null before the start.',
    example: 1_900,
    nullable: true,
  })
  actualPerDay!: number | null;

  @ApiProperty({
    type: Number,
    description:
      'What each remaining day must bring to reach the target (rounded up); 0 once reached, ' +
      'null when no day remains.',
    example: null,
    nullable: true,
  })
  requiredPerDay!: number | null;

  @ApiProperty({
    type: [SeriesPointDto],
    description: 'One point per day from the start to asOf (or the last day counted).',
  })
  series!: SeriesPointDto[];
}

class RatioPointDto {
  @ApiProperty({ example: '2025-12-10' })
  date!: string;

  @ApiProperty({ description: 'Day of the campaign, 1 on its first day.', example: 1 })
  day!: number;

  @ApiProperty({
    description: 'The ratio as measured through the day (overdue / amount due).',
    example: { numerator: 700_000_000_000, denominator: 56_000_000_000_000, percent: 1.25 },
    nullable: true,
  })
  ratio!: object | null;

  @ApiProperty({
    type: Number,
    description:
      'Basis points on the straight line from the ratio before the window to the target at the end date; null measured over the window.',
    example: 197,
    nullable: true,
  })
  shouldBe!: number | null;
}

class RatioObjectiveProgressDto extends CampaignObjectiveDto {
  @ApiProperty({ description: 'The target as a percent.', example: 1.4 })
  targetPercent!: number;

  @ApiProperty({
    type: [String],
    description: 'The contribution periods (YYYY-MM) measured so far.',
    example: ['2025-12'],
  })
  periods!: string[];

  @ApiProperty({
    description:
      'Overdue / amount due of the employers of the scope over those periods, as last restated; null while nothing was due.',
    example: { numerator: 700_000_000_000, denominator: 56_000_000_000_000, percent: 1.25 },
    nullable: true,
  })
  achieved!: object | null;

  @ApiProperty({
    type: Boolean,
    description: 'On the right side of the target: at or under a ceiling, at or over a floor.',
    example: true,
    nullable: true,
  })
  met!: boolean | null;

  @ApiProperty({
    type: Number,
    description: 'Percentage points on the right side of the target (negative: wrong side).',
    example: 0.15,
    nullable: true,
  })
  marginPoints!: number | null;

  @ApiProperty({
    description: 'The period before the window and its ratio: where the should-be line starts.',
    example: { period: '2025-11', ratio: { percent: 2 } },
  })
  baseline!: object;

  @ApiProperty({
    type: Number,
    description: 'Where the should-be line stands after the days elapsed (basis points).',
    example: 140,
    nullable: true,
  })
  shouldBe!: number | null;

  @ApiProperty({ type: [RatioPointDto], description: 'One point per day to asOf.' })
  series!: RatioPointDto[];
}

class DevelopmentDto {
  @ApiProperty({ description: 'People who joined in the window.', example: 1_210 })
  gains!: number;

  @ApiProperty({ description: 'People who stopped in the window.', example: 40 })
  stops!: number;

  @ApiProperty({ description: 'People who resumed in the window.', example: 0 })
  resumptions!: number;

  @ApiProperty({ description: 'gains − stops + resumptions.', example: 1_170 })
  net!: number;

  @ApiProperty({
    description: 'Contributions collected in the window, whole VND.',
    example: 99_000_000,
  })
  contributedVnd!: number;
}

class UnitStandingDto extends DevelopmentDto {
  @ApiProperty({ description: 'By net development, 1 first; ties share a rank.', example: 1 })
  rank!: number;

  @ApiProperty({ type: UnitDto, description: 'A unit directly below a scope unit.' })
  unit!: UnitDto;
}

class OrganizationStandingDto extends DevelopmentDto {
  @ApiProperty({ description: 'By net development, 1 first; ties share a rank.', example: 1 })
  rank!: number;

  @ApiProperty({ example: 'VNPOST-CT' })
  organizationId!: string;
}

class AgentStandingDto extends OrganizationStandingDto {
  @ApiProperty({ example: 'A-LM-01' })
  agentId!: string;
}

class UnitLeaderboardDto {
  @ApiProperty({ type: [UnitStandingDto], description: 'The top units.' })
  entries!: UnitStandingDto[];

  @ApiProperty({ description: 'How many units are ranked.', example: 3 })
  total!: number;
}

class OrganizationLeaderboardDto {
  @ApiProperty({ type: [OrganizationStandingDto], description: 'The top organizations.' })
  entries!: OrganizationStandingDto[];

  @ApiProperty({ description: 'How many organizations are ranked.', example: 2 })
  total!: number;
}

class AgentLeaderboardDto {
  @ApiProperty({ type: [AgentStandingDto], description: 'The top agents.' })
  entries!: AgentStandingDto[];

  @ApiProperty({ description: 'How many agents are ranked.', example: 6 })
  total!: number;
}

class LeaderboardsDto {
  @ApiProperty({
    enum: SCHEMES,
    isArray: true,
    description:
      'The schemes counted: the one asked for, else those the campaign develops or collects for.',
    example: ['compulsory-social-insurance', 'health-insurance'],
  })
  schemes!: Scheme[];

  @ApiProperty({
    type: UnitLeaderboardDto,
    description: 'Units directly below each scope unit, by net development of their subtree.',
  })
  units!: UnitLeaderboardDto;

  @ApiProperty({
    type: DevelopmentDto,
    description:
      'Recorded on the scope units themselves (reports for the whole unit): no unit below accounts for it.',
  })
  onScopeUnits!: DevelopmentDto;

  @ApiProperty({
    type: OrganizationLeaderboardDto,
    description:
      'Collection organizations credited with person-level facts in the window and scope.',
  })
  organizations!: OrganizationLeaderboardDto;

  @ApiProperty({
    type: AgentLeaderboardDto,
    description: 'Collection agents credited with person-level facts in the window and scope.',
  })
  agents!: AgentLeaderboardDto;
}

@ApiExtraModels(ObjectiveProgressDto, RatioObjectiveProgressDto)
class CampaignProgressDto {
  @ApiProperty({ type: CampaignSummaryDto, description: 'The campaign.' })
  campaign!: CampaignSummaryDto;

  @ApiProperty({ description: 'The date the figures are read as of.', example: '2025-12-29' })
  asOf!: string;

  @ApiProperty({ type: CampaignWindowDto, description: 'The days the campaign counts.' })
  window!: CampaignWindowDto;

  @ApiProperty({ description: 'Days of the window up to asOf.', example: 20 })
  daysElapsed!: number;

  @ApiProperty({ description: 'Days of the window after asOf.', example: 0 })
  daysRemaining!: number;

  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [
        { $ref: getSchemaPath(ObjectiveProgressDto) },
        { $ref: getSchemaPath(RatioObjectiveProgressDto) },
      ],
    },
    description:
      'Each objective against its target, in the order launched: counts against their ' +
      'should-be line, ratios (late-payment-ratio) against their ceiling or floor.',
  })
  objectives!: (ObjectiveProgressDto | RatioObjectiveProgressDto)[];

  @ApiProperty({ type: LeaderboardsDto, description: 'Units, organizations and agents ranked.' })
  leaderboards!: LeaderboardsDto;
}

export class CampaignProgressAnswer extends ReadAnswerDto {
  @ApiProperty({ type: CampaignProgressDto, description: 'The progress.' })
  data!: CampaignProgressDto;
}
