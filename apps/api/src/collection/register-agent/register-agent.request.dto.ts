import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsNotBlank } from '../../validation/validators.js';

export class RegisterAgentRequest extends CommandRequest {
  @ApiProperty({ description: 'The agent code, chosen by the office.', example: 'A-HP-0042' })
  @IsEntityId()
  agentId!: string;

  @ApiProperty({ example: 'Nguyen Thi Lan' })
  @MaxLength(200)
  @IsNotBlank()
  @IsString()
  name!: string;

  @ApiProperty({ example: '2024-01-02' })
  @IsLocalDate()
  registeredOn!: string;
}
