import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsNotBlank } from '../../validation/validators.js';

/** `<condition>.<subject>[.<objective>].<period>`, as the watch names alerts. */
export const ALERT_ID = /^[a-z][a-z-]{0,39}\.[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

export class AcknowledgeAlertRequest extends CommandRequest {
  @ApiProperty({
    description: 'The alert, as listed by GET /alerts.',
    example: 'milestone-at-risk.HP-3P-2024.2024-10-20',
  })
  @Matches(ALERT_ID, { message: '$property must name an alert, as GET /alerts lists them' })
  @IsString()
  alertId!: string;

  @ApiPropertyOptional({ description: 'What is being done.', example: 'Calling the communes' })
  @IsOptional()
  @MaxLength(1000)
  @IsNotBlank()
  @IsString()
  note?: string;
}
