import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsLocalDate, IsWholeNumber, IsNotBlank } from '../../validation/validators.js';
import { IsPlanId, PLAN_ID_EXAMPLE } from '../plan-id.js';

export class RevisePlanRequest extends CommandRequest {
  @ApiProperty({
    description: 'The plan: <unitId>.<scheme>.<metric>.<year>.',
    example: PLAN_ID_EXAMPLE,
  })
  @IsPlanId()
  planId!: string;

  @ApiProperty({ description: 'The new target, in the unit of the metric.', example: 40_499 })
  @IsWholeNumber({ positive: true })
  target!: number;

  @ApiProperty({
    description: 'Why the target changes.',
    example: 'Plan adjusted by Vietnam Social Security in October',
  })
  @MaxLength(1000)
  @IsNotBlank()
  @IsString()
  reason!: string;

  @ApiProperty({ description: 'The decision that revised the plan.', example: 'QD 456/QD-BHXH' })
  @MaxLength(200)
  @IsNotBlank()
  @IsString()
  decisionRef!: string;

  @ApiProperty({
    description:
      "From when the new target is in force, within the plan's period; earlier dates keep " +
      'the target in force then.',
    example: '2024-10-01',
  })
  @IsLocalDate()
  effectiveFrom!: string;
}
