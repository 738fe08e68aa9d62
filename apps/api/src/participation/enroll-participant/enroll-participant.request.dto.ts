import { SCHEMES, type Scheme } from '#domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsOnOrAfter } from '../../validation/validators.js';

export class EnrollParticipantRequest extends CommandRequest {
  @ApiProperty({
    description: 'The person, e.g. their social-insurance number.',
    example: '3120456789',
  })
  @IsEntityId()
  participantId!: string;

  @ApiProperty({ enum: SCHEMES, example: 'voluntary-social-insurance' })
  @IsIn(SCHEMES)
  scheme!: Scheme;

  @ApiProperty({
    description: "The participant's commune, ward or town: an active registered unit.",
    example: 'CT-LM',
  })
  @IsEntityId()
  unitId!: string;

  @ApiPropertyOptional({
    description: 'The collection point that enrolled them; it must belong to the organization.',
    example: 'P-LM-1',
  })
  @IsOptional()
  @IsEntityId()
  pointId?: string;

  @ApiPropertyOptional({
    description:
      'The agent who enrolled them; without organizationId, the organization it was assigned to that day is credited.',
    example: 'A-CT-0042',
  })
  @IsOptional()
  @IsEntityId()
  agentId?: string;

  @ApiPropertyOptional({
    description: 'The collection organization credited. Agents may name only their own.',
    example: 'VNPOST-CT',
  })
  @IsOptional()
  @IsEntityId()
  organizationId?: string;

  @ApiProperty({ example: '2025-09-05' })
  @IsLocalDate()
  enrolledOn!: string;

  @ApiProperty({
    description: 'Last day covered by what they paid at enrollment.',
    example: '2025-09-30',
  })
  @IsOnOrAfter('enrolledOn')
  @IsLocalDate()
  paidUntil!: string;
}
