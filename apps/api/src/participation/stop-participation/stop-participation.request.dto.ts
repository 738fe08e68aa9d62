import { SCHEMES, STOP_REASONS, type Scheme, type StopReason } from '#domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate } from '../../validation/validators.js';

export class StopParticipationRequest extends CommandRequest {
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

  @ApiProperty({ enum: STOP_REASONS, example: 'stopped-paying' })
  @IsIn(STOP_REASONS)
  reason!: StopReason;

  @ApiProperty({
    description: 'Not before the participant became active (enrolled or resumed).',
    example: '2026-01-15',
  })
  @IsLocalDate()
  stoppedOn!: string;
}
