import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ALLOCATION_RECIPIENTS, type AllocationRecipient } from '#domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  ValidateNested,
} from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsWholeNumber } from '../../validation/validators.js';
import { IsPlanId, PLAN_ID_EXAMPLE } from '../plan-id.js';

export class AllocationRequest {
  @ApiProperty({
    enum: ALLOCATION_RECIPIENTS,
    description:
      "unit: a child of the plan's unit; organization: a collection service organization; " +
      'agent: a collection agent.',
    example: 'unit',
  })
  @IsIn(ALLOCATION_RECIPIENTS)
  recipientKind!: AllocationRecipient;

  @ApiProperty({ description: 'The unit, organization or agent code.', example: 'HP-LC' })
  @IsEntityId()
  recipientId!: string;

  @ApiProperty({
    description: "The recipient's share, in the unit of the plan's metric.",
    example: 3_000,
  })
  @IsWholeNumber({ positive: true })
  target!: number;
}

export class AllocatePlanRequest extends CommandRequest {
  @ApiProperty({
    description: 'The plan: <unitId>.<scheme>.<metric>.<year>.',
    example: PLAN_ID_EXAMPLE,
  })
  @IsPlanId()
  planId!: string;

  @ApiProperty({
    type: [AllocationRequest],
    example: [
      { recipientKind: 'unit', recipientId: 'HP-LC', target: 3000 },
      { recipientKind: 'agent', recipientId: 'AG-0007', target: 120 },
    ],
    description:
      'One entry per recipient; a recipient allocated before gets the new target (its ' +
      'previous one stays in the history); an unchanged one is left out.',
  })
  @ValidateNested({ each: true })
  @Type(() => AllocationRequest)
  @ArrayMaxSize(2000)
  @ArrayMinSize(1)
  @IsArray()
  allocations!: AllocationRequest[];

  @ApiPropertyOptional({
    description: 'When the allocation was decided; defaults to today in Vietnam.',
    example: '2024-02-01',
  })
  @IsOptional()
  @IsLocalDate()
  allocatedOn?: string;
}
