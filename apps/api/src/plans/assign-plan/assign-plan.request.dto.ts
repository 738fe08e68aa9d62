import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PLAN_METRICS, type PlanMetric, SCHEME_SCOPES, type SchemeScope } from '#domain';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import {
  IsEntityId,
  IsLocalDate,
  IsOnOrAfter,
  IsWholeNumber,
  IsYear,
} from '../../validation/validators.js';

export class AssignPlanRequest extends CommandRequest {
  @ApiProperty({ description: 'The unit the plan is assigned to.', example: 'HP' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({
    enum: SCHEME_SCOPES,
    description:
      'The insurance scheme the plan is for, or a scheme group (social-insurance, all-schemes) ' +
      "whose plan is its own, not the sum of its members' plans.",
    example: 'voluntary-social-insurance',
  })
  @IsIn(SCHEME_SCOPES)
  scheme!: SchemeScope;

  @ApiProperty({
    enum: PLAN_METRICS,
    description:
      'participants: people; coverage-rate: basis points of the denominator (9342 = 93.42%); ' +
      'contributions: whole VND.',
    example: 'participants',
  })
  @IsIn(PLAN_METRICS)
  metric!: PlanMetric;

  @ApiProperty({ description: 'The plan year.', example: 2024 })
  @IsYear()
  year!: number;

  @ApiProperty({
    description: 'The yearly target, in the unit of the metric.',
    example: 50_137,
  })
  @IsWholeNumber({ positive: true })
  target!: number;

  @ApiPropertyOptional({
    description: 'The decision that assigned the plan.',
    example: 'QD 123/QD-BHXH',
  })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  decisionRef?: string;

  @ApiPropertyOptional({
    description: "Start of the plan's period; defaults to 1 January of the year.",
    example: '2024-01-01',
  })
  @IsOptional()
  @IsLocalDate()
  startDate?: string;

  @ApiPropertyOptional({
    description: "End of the plan's period, within the year; defaults to 31 December.",
    example: '2024-12-31',
  })
  @IsOptional()
  @IsOnOrAfter('startDate')
  @IsLocalDate()
  endDate?: string;
}
