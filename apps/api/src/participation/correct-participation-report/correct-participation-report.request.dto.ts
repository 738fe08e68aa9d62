import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ReportParticipationRequest } from '../report-participation/report-participation.request.dto.js';

export class CorrectParticipationReportRequest extends ReportParticipationRequest {
  @ApiProperty({
    description: 'Why the figures change; the previous figures are kept with the correction.',
    example: 'Restated in the October report after the plan revision',
  })
  @MaxLength(500)
  @IsNotEmpty()
  @IsString()
  reason!: string;
}
