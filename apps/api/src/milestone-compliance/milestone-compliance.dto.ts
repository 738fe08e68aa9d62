import { ApiProperty } from '@nestjs/swagger';
import { UnitDto } from '../attainment/attainment.dto.js';
import { ReadAnswerDto } from '../read-models/read-query.dto.js';

class CriterionDto {
  @ApiProperty({
    description: 'The levels of the units required; any level when empty.',
    example: ['commune', 'ward', 'town'],
  })
  levels!: string[];

  @ApiProperty({
    description: 'Only units with a collection point open on the date are required.',
    example: true,
  })
  withCollectionPoint!: boolean;
}

export class MilestoneDto {
  @ApiProperty({ example: 'HP-3P-2024' })
  milestoneId!: string;

  @ApiProperty({ example: 'Three-party coordination program signed' })
  name!: string;

  @ApiProperty({
    description: 'What each unit must do.',
    example: 'Every commune, ward and town with a collection point signs the program',
  })
  requirement!: string;

  @ApiProperty({ description: 'The last day to fulfil it on time.', example: '2024-10-20' })
  deadline!: string;

  @ApiProperty({ description: 'The units required lie under this one.', example: 'HP' })
  scopeUnitId!: string;

  @ApiProperty({ type: CriterionDto, description: 'Which units under the scope are required.' })
  criterion!: CriterionDto;

  @ApiProperty({ description: 'The day it was set.', example: '2024-09-25' })
  setOn!: string;
}

class RecordedOutcomesDto {
  @ApiProperty({ description: 'Units that fulfilled it by the deadline.', example: 7 })
  fulfilledOnTime!: number;

  @ApiProperty({ description: 'Units that fulfilled it after the deadline.', example: 1 })
  fulfilledLate!: number;

  @ApiProperty({ description: 'Units excused from it.', example: 1 })
  waived!: number;
}

class MilestoneListItemDto extends MilestoneDto {
  @ApiProperty({ type: RecordedOutcomesDto, description: 'The outcomes recorded so far.' })
  outcomes!: RecordedOutcomesDto;

  @ApiProperty({ description: 'Days from asOf to the deadline, 0 once passed.', example: 0 })
  daysRemaining!: number;
}

class MilestoneListDto {
  @ApiProperty({ type: [MilestoneListItemDto], description: 'One page, latest deadline first.' })
  milestones!: MilestoneListItemDto[];

  @ApiProperty({ description: 'How many milestones match the filters.', example: 1 })
  total!: number;
}

export class MilestoneListAnswer extends ReadAnswerDto {
  @ApiProperty({ type: MilestoneListDto, description: 'The milestones.' })
  data!: MilestoneListDto;
}

class StandingDto {
  @ApiProperty({
    description: 'The units and outcomes as of the end of this day.',
    example: '2024-10-20',
  })
  date!: string;

  @ApiProperty({
    description: 'Units the criterion picks on the date (level, collection point open).',
    example: 10,
  })
  eligible!: number;

  @ApiProperty({ description: 'Excused by then: no longer required.', example: 1 })
  waived!: number;

  @ApiProperty({ description: 'eligible − waived.', example: 9 })
  required!: number;

  @ApiProperty({ description: 'Fulfilled by then, on time or late.', example: 7 })
  fulfilled!: number;

  @ApiProperty({ description: 'Fulfilled by the deadline.', example: 7 })
  onTime!: number;

  @ApiProperty({ description: 'Fulfilled after the deadline.', example: 0 })
  late!: number;

  @ApiProperty({ description: 'Required and not fulfilled yet: the laggards.', example: 2 })
  pending!: number;

  @ApiProperty({
    description: 'fulfilled / required, with the percent rounded for display.',
    example: { numerator: 7, denominator: 9, percent: 77.78 },
    nullable: true,
  })
  compliance!: object | null;

  @ApiProperty({
    description: 'Fulfilled on time / required.',
    example: { numerator: 7, denominator: 9, percent: 77.78 },
    nullable: true,
  })
  onTimeCompliance!: object | null;
}

class ProjectionDto {
  @ApiProperty({ description: 'Nothing is pending.', example: false })
  complete!: boolean;

  @ApiProperty({ description: 'Days from the day it was set to asOf.', example: 25 })
  daysSinceSet!: number;

  @ApiProperty({
    type: Number,
    description: 'Fulfilments per day since it was set, rounded for display.',
    example: 0.28,
    nullable: true,
  })
  fulfilmentsPerDay!: number | null;

  @ApiProperty({
    type: String,
    description:
      'When the pending units will have fulfilled at that rate (asOf + pending × days / ' +
      'fulfilled, rounded up); the last fulfilment once complete; null without any fulfilment.',
    example: '2024-10-28',
    nullable: true,
  })
  projectedCompletionOn!: string | null;

  @ApiProperty({
    type: Boolean,
    description:
      'The projected (or actual) completion falls after the deadline; null when unknown.',
    example: true,
    nullable: true,
  })
  afterDeadline!: boolean | null;
}

class PointDto {
  @ApiProperty({ example: 'P-HP-TN-2' })
  pointId!: string;

  @ApiProperty({ example: 'VNPOST-HP' })
  organizationId!: string;
}

class LaggardDto {
  @ApiProperty({ type: UnitDto, description: 'A required unit with no outcome yet.' })
  unit!: UnitDto;

  @ApiProperty({
    type: String,
    description: "Its parent's name.",
    example: 'Thuy Nguyen',
    nullable: true,
  })
  parentName!: string | null;

  @ApiProperty({
    type: [PointDto],
    description: 'The collection points open in it on asOf, to follow up with.',
  })
  points!: PointDto[];
}

class LaggardsDto {
  @ApiProperty({ type: [LaggardDto], description: 'One page, by parent name and name.' })
  units!: LaggardDto[];

  @ApiProperty({ description: 'How many laggards there are (under the filter).', example: 1 })
  total!: number;
}

class MilestoneComplianceDto {
  @ApiProperty({ type: MilestoneDto, description: 'The milestone.' })
  milestone!: MilestoneDto;

  @ApiProperty({ description: 'The date the figures are read as of.', example: '2024-10-20' })
  asOf!: string;

  @ApiProperty({ description: 'Days from asOf to the deadline, 0 once passed.', example: 0 })
  daysRemaining!: number;

  @ApiProperty({ description: 'asOf is after the deadline.', example: false })
  deadlinePassed!: boolean;

  @ApiProperty({ type: StandingDto, description: 'Units required and their outcomes as of asOf.' })
  now!: StandingDto;

  @ApiProperty({
    type: StandingDto,
    description: 'Units required at the deadline and their outcomes by then.',
  })
  atDeadline!: StandingDto;

  @ApiProperty({
    type: ProjectionDto,
    description: 'Completion projected from the fulfilment rate so far.',
  })
  projection!: ProjectionDto;

  @ApiProperty({ type: LaggardsDto, description: 'The pending units as of asOf, paged.' })
  laggards!: LaggardsDto;
}

export class MilestoneComplianceAnswer extends ReadAnswerDto {
  @ApiProperty({ type: MilestoneComplianceDto, description: 'The compliance.' })
  data!: MilestoneComplianceDto;
}
