import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsLocalDate, IsOnOrAfter, IsNotBlank } from '../../validation/validators.js';
import { ReportParticipationRequest } from '../report-participation/report-participation.request.dto.js';

export class CorrectParticipationReportRequest extends ReportParticipationRequest {
  @ApiProperty({
    description: 'Why the figures change; the previous figures are kept with the correction.',
    example: 'Restated in the October report after the plan revision',
  })
  @MaxLength(500)
  @IsNotBlank()
  @IsString()
  reason!: string;

  @ApiPropertyOptional({
    description:
      'When the correction was made (business date, on or after `date`); defaults to today ' +
      'in Vietnam. The correction is recorded as happening then.',
    example: '2024-11-08',
  })
  @IsOptional()
  @IsOnOrAfter('date')
  @IsLocalDate()
  correctedOn?: string;
}
