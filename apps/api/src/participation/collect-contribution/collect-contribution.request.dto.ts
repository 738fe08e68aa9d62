import { SCHEMES, type Scheme } from '#domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import {
  IsEntityId,
  IsLocalDate,
  IsMonth,
  IsOnOrAfter,
  IsWholeNumber,
} from '../../validation/validators.js';

export class CollectContributionRequest extends CommandRequest {
  @ApiProperty({ example: '3120456789' })
  @IsEntityId()
  participantId!: string;

  @ApiProperty({
    enum: SCHEMES,
    description: 'A scheme the participant is active in.',
    example: 'voluntary-social-insurance',
  })
  @IsIn(SCHEMES)
  scheme!: Scheme;

  @ApiProperty({ description: 'Whole VND, greater than 0.', example: 1_485_000 })
  @IsWholeNumber({ positive: true })
  amount!: number;

  @ApiProperty({ description: 'First month paid for.', example: '2025-10' })
  @IsMonth()
  periodFrom!: string;

  @ApiProperty({
    description: 'Last month paid for: coverage extends to its last day.',
    example: '2025-12',
  })
  @IsOnOrAfter('periodFrom')
  @IsMonth()
  periodTo!: string;

  @ApiPropertyOptional({
    description:
      'The agent who collected it; without organizationId, the organization it was assigned to that day is credited.',
    example: 'A-CT-0042',
  })
  @IsOptional()
  @IsEntityId()
  agentId?: string;

  @ApiPropertyOptional({
    description:
      "The organization credited; when neither it nor an assigned agent is given, the enrollment's.",
    example: 'VNPOST-CT',
  })
  @IsOptional()
  @IsEntityId()
  organizationId?: string;

  @ApiProperty({ example: '2025-10-03' })
  @IsLocalDate()
  collectedOn!: string;
}
