import { SCHEMES, type Scheme } from '#domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsOnOrAfter } from '../../validation/validators.js';

export class ResumeParticipationRequest extends CommandRequest {
  @ApiProperty({ example: '3120456789' })
  @IsEntityId()
  participantId!: string;

  @ApiProperty({
    enum: SCHEMES,
    description: 'A scheme the participant stopped.',
    example: 'voluntary-social-insurance',
  })
  @IsIn(SCHEMES)
  scheme!: Scheme;

  @ApiProperty({ description: 'Not before the stop.', example: '2026-03-01' })
  @IsLocalDate()
  resumedOn!: string;

  @ApiProperty({ description: 'Last day covered by what they paid.', example: '2026-05-31' })
  @IsOnOrAfter('resumedOn')
  @IsLocalDate()
  paidUntil!: string;

  @ApiPropertyOptional({
    description: 'The collection point that resumed them; it must belong to the organization.',
    example: 'P-LM-1',
  })
  @IsOptional()
  @IsEntityId()
  pointId?: string;

  @ApiPropertyOptional({ description: 'The agent who resumed them.', example: 'A-CT-0042' })
  @IsOptional()
  @IsEntityId()
  agentId?: string;

  @ApiPropertyOptional({
    description:
      "The organization credited from now on; when neither it nor an assigned agent is given, the enrollment's.",
    example: 'VNPOST-CT',
  })
  @IsOptional()
  @IsEntityId()
  organizationId?: string;
}
