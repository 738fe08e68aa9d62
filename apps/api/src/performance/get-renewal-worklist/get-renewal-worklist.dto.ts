import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SCHEMES, type Scheme } from '#domain';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQuery, ReadAnswerDto } from '../../read-models/read-query.dto.js';
import { IsLocalDate } from '../../validation/validators.js';

export const MAX_WITHIN_DAYS = 366;

export class RenewalWorklistQuery extends PageQuery {
  @ApiPropertyOptional({
    description: `Days after asOf a paid-until date may fall to be due (0–${MAX_WITHIN_DAYS}).`,
    example: 30,
    default: 30,
  })
  @IsOptional()
  @Max(MAX_WITHIN_DAYS)
  @Min(0)
  @IsInt()
  @Type(() => Number)
  within: number = 30;

  @ApiPropertyOptional({
    description: 'The day the worklist is for; today in Asia/Ho_Chi_Minh when absent.',
    example: '2025-09-30',
  })
  @IsOptional()
  @IsLocalDate()
  asOf?: string;
}

class WorklistAgentDto {
  @ApiProperty({ description: 'The agent.', example: 'A-LM-01' })
  id!: string;

  @ApiProperty({ description: 'Its name.', example: 'Nguyen Thi Lan' })
  name!: string;

  @ApiProperty({
    type: String,
    description:
      'The organization of its latest assignment: the one whose agents may read this list.',
    example: 'VNPOST-CT',
    nullable: true,
  })
  organizationId!: string | null;
}

class RenewalItemDto {
  @ApiProperty({ description: 'The participant.', example: '9200000001' })
  participantId!: string;

  @ApiProperty({ enum: SCHEMES, example: 'voluntary-social-insurance' })
  scheme!: Scheme;

  @ApiProperty({ description: 'The participant’s commune or ward.', example: 'CT-LM' })
  unitId!: string;

  @ApiProperty({
    type: String,
    description: 'The organization the enrollment is credited to.',
    example: 'VNPOST-CT',
    nullable: true,
  })
  organizationId!: string | null;

  @ApiProperty({ description: 'The last day paid for.', example: '2025-10-31' })
  paidUntil!: string;

  @ApiProperty({
    enum: ['due', 'lapsed'],
    description:
      'due: paid until asOf or a later day within the window; lapsed: paid until before asOf.',
    example: 'due',
  })
  status!: string;

  @ApiProperty({
    type: Number,
    description: 'Days from asOf to paidUntil; null once lapsed.',
    example: 31,
    nullable: true,
  })
  daysUntil!: number | null;

  @ApiProperty({
    type: Number,
    description: 'Days from paidUntil to asOf; null while due.',
    example: null,
    nullable: true,
  })
  daysSince!: number | null;
}

class RenewalWorklistDto {
  @ApiProperty({ type: WorklistAgentDto, description: 'The agent.' })
  agent!: WorklistAgentDto;

  @ApiProperty({ description: 'The day the worklist is for.', example: '2025-09-30' })
  asOf!: string;

  @ApiProperty({ description: 'The window in days.', example: 30 })
  within!: number;

  @ApiProperty({
    description: 'asOf + within: the last paid-until day that is due.',
    example: '2025-10-30',
  })
  dueBy!: string;

  @ApiProperty({ description: 'Participants due within the window.', example: 12 })
  due!: number;

  @ApiProperty({
    description: 'Participants lapsed (paid until before asOf, not stopped).',
    example: 40,
  })
  lapsed!: number;

  @ApiProperty({ description: 'due + lapsed.', example: 52 })
  total!: number;

  @ApiProperty({ type: [RenewalItemDto], description: 'One page, earliest paid-until first.' })
  participants!: RenewalItemDto[];
}

export class RenewalWorklistAnswer extends ReadAnswerDto {
  @ApiProperty({ type: RenewalWorklistDto, description: 'The worklist.' })
  data!: RenewalWorklistDto;
}
