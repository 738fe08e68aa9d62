import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsOnOrAfter } from '../../validation/validators.js';

export class AssignAgentRequest extends CommandRequest {
  @ApiProperty({ example: 'A-HP-0042' })
  @IsEntityId()
  agentId!: string;

  @ApiProperty({ description: 'The registered organization it works for.', example: 'VNPOST-HP' })
  @IsEntityId()
  organizationId!: string;

  @ApiPropertyOptional({
    description: "One of the organization's points, open for the whole period.",
    example: 'P-LC-1',
  })
  @IsOptional()
  @IsEntityId()
  pointId?: string;

  @ApiProperty({ description: 'First day of the assignment.', example: '2024-03-01' })
  @IsLocalDate()
  from!: string;

  @ApiPropertyOptional({
    description: 'Planned last day; open-ended when absent. Periods of one agent never overlap.',
    example: '2024-12-31',
  })
  @IsOptional()
  @IsOnOrAfter('from')
  @IsLocalDate()
  until?: string;
}
