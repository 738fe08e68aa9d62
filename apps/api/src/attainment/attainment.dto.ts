import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType } from '@nestjs/swagger';
import { SCHEMES, SCHEME_SCOPES, type SchemeScope } from '#domain';
import { IsIn, IsOptional, ValidateBy } from 'class-validator';
import { AsKnownQuery, ReadAnswerDto } from '../read-models/read-query.dto.js';
import { IsLocalDate, IsQueryBoolean } from '../validation/validators.js';

/** Which schemes an attainment read (or feed) answers for: `selectedSchemes`. */
export class SchemeSelection {
  @ApiPropertyOptional({
    enum: SCHEME_SCOPES,
    description:
      'One scheme or scheme group (social-insurance, all-schemes); every scheme when absent ' +
      '(and the groups after them with `groups=true`).',
  })
  @IsOptional()
  @IsIn(SCHEME_SCOPES)
  scheme?: SchemeScope;

  @ApiPropertyOptional({
    type: Boolean,
    description:
      'With every scheme (no `scheme`): the scheme groups too, after the schemes, each from ' +
      "the group's own read (its sums and its own plan). One read, or one feed, for a whole " +
      'overview. Exactly `true` or `false`.',
  })
  @ValidateBy({
    name: 'withoutScheme',
    validator: {
      validate: (value, args) =>
        value !== true || (args?.object as SchemeSelection).scheme === undefined,
      defaultMessage: () => 'groups is for a read of every scheme: leave it out with scheme',
    },
  })
  @IsOptional()
  @IsQueryBoolean({ message: 'groups must be true or false' })
  groups?: boolean;
}

/** The schemes and groups a `SchemeSelection` names, in the order answers list them. */
export function selectedSchemes(query: SchemeSelection): readonly SchemeScope[] {
  if (query.scheme) return [query.scheme];
  return query.groups ? SCHEME_SCOPES : SCHEMES;
}

export class DateOfFigures {
  @ApiProperty({
    description: 'The business date of the figures (end of that day).',
    example: '2024-09-30',
  })
  @IsLocalDate()
  date!: string;
}

export class AttainmentQuery extends IntersectionType(
  AsKnownQuery,
  DateOfFigures,
  SchemeSelection,
) {}

export class UnitDto {
  @ApiProperty({ example: 'HP' })
  unitId!: string;

  @ApiProperty({ example: 'Hai Phong' })
  name!: string;

  @ApiProperty({ example: 'city' })
  level!: string;

  @ApiProperty({
    type: String,
    description: 'The parent unit, null for a root.',
    example: null,
    nullable: true,
  })
  parentId!: string | null;

  @ApiProperty({
    type: String,
    description: 'The unit it was merged into, if any: its figures count there.',
    example: null,
    nullable: true,
  })
  mergedInto!: string | null;
}

export class SchemeFiguresDto {
  @ApiProperty({
    enum: SCHEME_SCOPES,
    description: 'The scheme or scheme group.',
    example: 'compulsory-social-insurance',
  })
  scheme!: SchemeScope;

  @ApiProperty({
    type: [String],
    description: 'The schemes added up: the scheme itself, or the members of the group.',
    example: ['compulsory-social-insurance'],
  })
  members!: string[];

  @ApiProperty({ example: '2024-09-30' })
  date!: string;

  @ApiProperty({
    description: 'Active participants of the unit and every unit below it.',
    example: 495_856,
  })
  participants!: number;

  @ApiProperty({
    description:
      'The plan in force on the date (target, original target, effectiveFrom, revised, endDate), or null.',
    example: {
      planId: 'HP.compulsory-social-insurance.participants.2024',
      target: 528_700,
      originalTarget: 528_700,
      effectiveFrom: '2024-01-01',
      revised: false,
      endDate: '2024-12-31',
    },
    nullable: true,
  })
  plan!: object | null;

  @ApiProperty({
    description: 'participants / plan in force: the integers and the percent rounded for display.',
    example: { numerator: 495_856, denominator: 528_700, percent: 93.79 },
    nullable: true,
  })
  attainment!: object | null;

  @ApiProperty({
    description: 'participants / the plan as first assigned.',
    example: { numerator: 36_520, denominator: 50_137, percent: 72.84 },
    nullable: true,
  })
  originalAttainment!: object | null;

  @ApiProperty({
    description:
      'Change vs 31 December of the previous year; percent of the figure then (null when it was 0).',
    example: { since: '2023-12-31', participantsThen: 487_527, change: 8_329, percent: 1.71 },
  })
  changeSinceDecember!: object;

  @ApiProperty({
    description: 'Change vs the same date a year earlier, with its percent.',
    example: { since: '2023-09-30', participantsThen: 467_953, change: 27_903, percent: 5.96 },
  })
  changeYearOnYear!: object;

  @ApiProperty({
    description:
      'Change vs the last day of the previous month ("+128 (0.35%) compared to September"), with its percent.',
    example: { since: '2024-09-30', participantsThen: 36_293, change: 128, percent: 0.35 },
  })
  changeSincePreviousMonth!: object;

  @ApiProperty({
    description:
      "participants / the unit's denominator (population for health insurance, working-age population or labour force otherwise), with its year and source.",
    example: {
      numerator: 1_960_812,
      denominator: 2_098_900,
      percent: 93.42,
      base: 'population',
      year: 2024,
      source: 'GSO',
    },
    nullable: true,
  })
  coverage!: object | null;

  @ApiProperty({
    description: 'Coverage against a coverage-rate plan.',
    example: {
      numerator: 353_000_000,
      denominator: 380_000_000,
      percent: 92.89,
      targetPercent: 95,
    },
    nullable: true,
  })
  coverageAttainment!: object | null;

  @ApiProperty({
    type: Number,
    description: 'Plan in force − participants (0 once reached), or null without a plan.',
    example: 32_844,
    nullable: true,
  })
  remainingToPlan!: number | null;

  @ApiProperty({
    description:
      "Days to the plan's end, participants a day needed to reach it, and the observed 7- and 30-day rates.",
    example: { daysLeft: 92, requiredPerDay: 357, last7DaysPerDay: 31.29, last30DaysPerDay: 30.5 },
  })
  runRate!: object;
}

export class UnitAttainmentDto {
  @ApiProperty({ type: UnitDto, description: 'The unit.' })
  unit!: UnitDto;

  @ApiProperty({ type: [SchemeFiguresDto], description: 'The figures of each scheme asked for.' })
  schemes!: SchemeFiguresDto[];
}

export class AttainmentAnswer extends ReadAnswerDto {
  @ApiProperty({ type: UnitAttainmentDto, description: 'The figures.' })
  data!: UnitAttainmentDto;
}

class ChildrenAttainmentDto {
  @ApiProperty({ type: UnitDto, description: 'The unit whose children these are.' })
  unit!: UnitDto;

  @ApiProperty({
    type: [UnitAttainmentDto],
    description: 'One page of the units that roll up into it.',
  })
  children!: UnitAttainmentDto[];

  @ApiProperty({ description: 'How many such units there are in all.', example: 4 })
  total!: number;
}

export class ChildrenAttainmentAnswer extends ReadAnswerDto {
  @ApiProperty({ type: ChildrenAttainmentDto, description: 'The figures.' })
  data!: ChildrenAttainmentDto;
}

/**
 * A day of a series: the figures without what the series states once (its scheme, whose
 * members follow from it) and what it does not read per day.
 */
class SeriesDayDto extends OmitType(SchemeFiguresDto, [
  'scheme',
  'members',
  'originalAttainment',
  'coverageAttainment',
  'runRate',
] as const) {}

class SeriesDto {
  @ApiProperty({ type: UnitDto, description: 'The unit.' })
  unit!: UnitDto;

  @ApiProperty({ enum: SCHEME_SCOPES, example: 'voluntary-social-insurance' })
  scheme!: SchemeScope;

  @ApiProperty({
    type: [SeriesDayDto],
    description:
      'One entry per day (participants, plan, attainment, changes vs December, a year earlier and the previous month-end, coverage, remaining).',
  })
  days!: SeriesDayDto[];
}

export class AttainmentSeriesAnswer extends ReadAnswerDto {
  @ApiProperty({ type: SeriesDto, description: 'The series.' })
  data!: SeriesDto;
}
