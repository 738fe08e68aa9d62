import { ALERT_SUBJECT_KINDS } from '#domain';
import { ApiProperty } from '@nestjs/swagger';
import { ReadAnswerDto } from '../../read-models/read-query.dto.js';

class AlertSubjectDto {
  @ApiProperty({ enum: ALERT_SUBJECT_KINDS, description: 'What it is about.' })
  kind!: string;

  @ApiProperty({ description: 'Its id.', example: 'HP-3P-2024' })
  id!: string;
}

export class AlertDto {
  @ApiProperty({
    description: 'Condition, subject (and objective) and period.',
    example: 'milestone-at-risk.HP-3P-2024.2024-10-20',
  })
  alertId!: string;

  @ApiProperty({
    enum: [
      'milestone-at-risk',
      'milestone-missed',
      'campaign-behind-line',
      'campaign-objective-met',
      'renewals-due',
      'under-performing',
      'attainment-below-plan',
    ],
    description: 'What holds (or held).',
  })
  condition!: string;

  @ApiProperty({
    type: AlertSubjectDto,
    description: 'The milestone, campaign, organization, agent or unit.',
  })
  subject!: AlertSubjectDto;

  @ApiProperty({
    description: "A milestone's deadline, a campaign's window, a reminder's day, a month.",
    example: '2024-10-20',
  })
  period!: string;

  @ApiProperty({ enum: ['raised', 'cleared'], description: 'Whether the condition still holds.' })
  status!: string;

  @ApiProperty({
    description: 'The figures read at its last change.',
    example: { daysRemaining: 7, required: 40, pending: 12 },
  })
  figures!: Record<string, unknown>;

  @ApiProperty({ description: 'The business date of its last change.', example: '2024-10-13' })
  observedOn!: string;

  @ApiProperty({ description: 'When it was last raised (record time).' })
  raisedAt!: string;

  @ApiProperty({ type: String, nullable: true, description: 'When it was cleared, if it is.' })
  clearedAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Who acknowledged it since it was last raised.',
  })
  acknowledgedBy!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'When.' })
  acknowledgedAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'What they noted.',
    example: 'Calling the communes',
  })
  note!: string | null;
}

class AlertListDto {
  @ApiProperty({ type: [AlertDto], description: 'Latest change first.' })
  alerts!: AlertDto[];

  @ApiProperty({ description: 'Alerts matching the filter, on every page.', example: 3 })
  total!: number;
}

export class AlertListAnswer extends ReadAnswerDto {
  @ApiProperty({ type: AlertListDto, description: 'The alerts.' })
  data!: AlertListDto;
}
