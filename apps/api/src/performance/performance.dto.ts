import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SCHEMES, type Scheme } from '#domain';
import { UNDER_PERFORMANCE } from '#projections';
import { IsIn, IsOptional } from 'class-validator';
import { RatioDto } from '../read-models/ratio.dto.js';
import { ReadAnswerDto, ReadQuery } from '../read-models/read-query.dto.js';
import { IsMonth } from '../validation/validators.js';

export const RETENTION_RULE =
  'Retention in a month: of the participants credited to it (by their enrollment or ' +
  'resumption) whose paid-until date falls in the month, leaving out those who stopped ' +
  'before that date, the share who paid a contribution extending their coverage on or ' +
  'before it (collected on or before the previous paid-until date). A month still running ' +
  'counts those due later in it as not yet renewed.';

export const UNDER_PERFORMANCE_RULE =
  `underPerforming is true when the month's new participants are under ` +
  `${UNDER_PERFORMANCE.developmentPercent}% of a twelfth of the yearly participants target ` +
  `allocated to it (when it has one), or its retention in the month is under ` +
  `${UNDER_PERFORMANCE.retentionPercent}% (when anyone was due).`;

export const RANK_RULE =
  "Ranked by the month's new participants against a twelfth of the yearly target (those " +
  'without a target last), then new participants, VND collected and id.';

export const PERFORMANCE_FIGURES =
  'New participants are enrollments credited to it, stops the stops of its enrollments, ' +
  'net = new + resumptions − stops, and contributions (VND) those it collected. ' +
  `${RETENTION_RULE} Targets are the plan allocations to it for the year (the allocation in ` +
  'force at the end of the month); the month is measured against yearly / 12, the year ' +
  `to date against the whole yearly target. ${UNDER_PERFORMANCE_RULE} ${RANK_RULE}`;

export class MonthQuery extends ReadQuery {
  @ApiProperty({ description: 'The month evaluated, YYYY-MM.', example: '2025-09' })
  @IsMonth()
  month!: string;

  @ApiPropertyOptional({ enum: SCHEMES, description: 'One scheme; every scheme when absent.' })
  @IsOptional()
  @IsIn(SCHEMES)
  scheme?: Scheme;
}

class RetentionDto {
  @ApiProperty({
    description:
      'Participants whose paid-until date fell in the period and who had not stopped before it.',
    example: 120,
  })
  due!: number;

  @ApiProperty({ description: 'Of those, the ones who paid on or before it.', example: 104 })
  onTime!: number;

  @ApiProperty({
    type: RatioDto,
    nullable: true,
    description: 'onTime / due; null when nobody was due.',
  })
  ratio!: RatioDto | null;
}

class PeriodFiguresDto {
  @ApiProperty({ description: 'Enrollments credited to it.', example: 54 })
  newParticipants!: number;

  @ApiProperty({ description: 'Stops of participants it enrolled.', example: 3 })
  stops!: number;

  @ApiProperty({ description: 'Participants it resumed.', example: 1 })
  resumptions!: number;

  @ApiProperty({ description: 'newParticipants + resumptions − stops.', example: 52 })
  net!: number;

  @ApiProperty({ description: 'Contributions it collected.', example: 41 })
  contributions!: number;

  @ApiProperty({ description: 'VND it collected (whole dong).', example: 40_590_000 })
  collected!: number;

  @ApiProperty({ type: RetentionDto, description: RETENTION_RULE })
  retention!: RetentionDto;
}

class AgainstTargetDto {
  @ApiProperty({
    description: 'The yearly target allocated to it (summed over plans).',
    example: 300,
  })
  yearlyTarget!: number;

  @ApiProperty({
    description: 'yearlyTarget / 12, rounded to two decimals for display.',
    example: 25,
  })
  monthTarget!: number;

  @ApiProperty({
    type: RatioDto,
    description:
      "The month's figure against yearlyTarget / 12, kept exact as (figure × 12) / yearlyTarget.",
  })
  monthAttainment!: RatioDto;

  @ApiProperty({
    type: RatioDto,
    description: 'The figure from 1 January to the end of the month against yearlyTarget.',
  })
  yearToDateAttainment!: RatioDto;
}

class ThresholdsDto {
  @ApiProperty({
    description: 'Under this percent of the prorated development target, it is singled out.',
    example: UNDER_PERFORMANCE.developmentPercent,
  })
  developmentPercent!: number;

  @ApiProperty({
    description: 'Under this retention percent, it is singled out.',
    example: UNDER_PERFORMANCE.retentionPercent,
  })
  retentionPercent!: number;
}

export class PerformanceDto {
  @ApiProperty({ description: 'The organization or agent id.', example: 'A-LM-01' })
  id!: string;

  @ApiProperty({
    type: String,
    description: 'Its name, null if never registered.',
    example: 'Nguyen Thi Lan',
    nullable: true,
  })
  name!: string | null;

  @ApiProperty({
    type: String,
    description: 'The organization itself, or the organization of the agent’s latest assignment.',
    example: 'VNPOST-CT',
    nullable: true,
  })
  organizationId!: string | null;

  @ApiProperty({ description: `1 for the best. ${RANK_RULE}`, example: 1 })
  rank!: number;

  @ApiProperty({ type: PeriodFiguresDto, description: 'The month.' })
  month!: PeriodFiguresDto;

  @ApiProperty({ type: PeriodFiguresDto, description: 'From 1 January to the end of the month.' })
  yearToDate!: PeriodFiguresDto;

  @ApiProperty({
    type: AgainstTargetDto,
    nullable: true,
    description:
      'New participants against the participants allocated to it; null without an allocation.',
  })
  development!: AgainstTargetDto | null;

  @ApiProperty({
    type: AgainstTargetDto,
    nullable: true,
    description:
      'VND collected against the contributions allocated to it; null without an allocation.',
  })
  collection!: AgainstTargetDto | null;

  @ApiProperty({ description: UNDER_PERFORMANCE_RULE, example: false })
  underPerforming!: boolean;

  @ApiProperty({
    description: 'Why it is singled out: development, retention, or both.',
    example: [],
    enum: ['development', 'retention'],
    isArray: true,
  })
  shortfalls!: string[];
}

class PerformanceContextDto {
  @ApiProperty({ description: 'The month evaluated.', example: '2025-09' })
  month!: string;

  @ApiProperty({
    // OpenAPI 3.0: a nullable enum lists null among its values.
    enum: [...SCHEMES, null],
    nullable: true,
    description: 'The scheme, or null for all.',
    example: null,
  })
  scheme!: Scheme | null;

  @ApiProperty({ type: ThresholdsDto, description: 'The thresholds of underPerforming.' })
  thresholds!: ThresholdsDto;
}

class PerformanceListDto extends PerformanceContextDto {
  @ApiProperty({
    type: String,
    description: 'The unit whose participants count, or null.',
    example: 'CT-LM',
    nullable: true,
  })
  unitId!: string | null;

  @ApiProperty({
    type: String,
    description: 'Agents: the organization whose work counts, or null.',
    example: null,
    nullable: true,
  })
  organizationId!: string | null;

  @ApiProperty({ description: 'How many are ranked.', example: 6 })
  total!: number;

  @ApiProperty({ type: [PerformanceDto], description: 'One page, best first.' })
  items!: PerformanceDto[];
}

export class PerformanceListAnswer extends ReadAnswerDto {
  @ApiProperty({ type: PerformanceListDto, description: 'The ranking.' })
  data!: PerformanceListDto;
}

class RecipientPerformanceDto extends PerformanceContextDto {
  @ApiProperty({
    description: 'How many the rank is among (all organizations, or all agents).',
    example: 6,
  })
  rankedAmong!: number;

  @ApiProperty({ type: PerformanceDto, description: 'Its figures.' })
  performance!: PerformanceDto;
}

export class RecipientPerformanceAnswer extends ReadAnswerDto {
  @ApiProperty({ type: RecipientPerformanceDto, description: 'The figures.' })
  data!: RecipientPerformanceDto;
}
