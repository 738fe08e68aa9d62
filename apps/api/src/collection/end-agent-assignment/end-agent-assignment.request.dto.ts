import { ApiProperty } from '@nestjs/swagger';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate } from '../../validation/validators.js';

export class EndAgentAssignmentRequest extends CommandRequest {
  @ApiProperty({ example: 'A-HP-0042' })
  @IsEntityId()
  agentId!: string;

  @ApiProperty({
    description:
      "The assignment's last day: not before it started, nor after its planned end if it has one.",
    example: '2024-06-30',
  })
  @IsLocalDate()
  endedOn!: string;
}
