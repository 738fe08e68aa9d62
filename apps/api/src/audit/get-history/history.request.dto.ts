import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsEntityId, IsLocalDate, IsPastInstant } from '../../validation/validators.js';
import { AuditPageQuery } from '../audit.dto.js';

const EVENT_TYPE = /^[A-Z][A-Za-z]{0,63}$/;

export class HistoryQuery extends AuditPageQuery {
  @ApiPropertyOptional({
    description: 'One stream, e.g. campaign-DN-PEAK-2025.',
    example: 'plan-HP.voluntary-social-insurance.participants.2024',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  streamId?: string;

  @ApiPropertyOptional({
    description: 'A unit and every unit below it (merged units included).',
    example: 'HP',
  })
  @IsOptional()
  @IsEntityId()
  unitId?: string;

  @ApiPropertyOptional({
    description: 'Who recorded the events (a token’s subject).',
    example: 'hai-phong-office',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({
    description: 'Event types, comma-separated.',
    example: 'ParticipationReportCorrected,PlanRevised',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',') : value))
  @Matches(EVENT_TYPE, { each: true, message: 'type must list event types such as PlanRevised' })
  type?: string[];

  @ApiPropertyOptional({
    description: 'Recorded at or after this time (ISO 8601).',
    example: '2024-10-01T00:00:00+07:00',
  })
  @IsOptional()
  @IsPastInstant()
  recordedFrom?: string;

  @ApiPropertyOptional({
    description: 'Recorded before this time (ISO 8601).',
    example: '2024-11-01T00:00:00+07:00',
  })
  @IsOptional()
  @IsPastInstant({ message: 'recordedTo must be a time in ISO 8601 with its offset' })
  recordedTo?: string;

  @ApiPropertyOptional({ description: 'Business date from (inclusive).', example: '2024-10-01' })
  @IsOptional()
  @IsLocalDate()
  businessFrom?: string;

  @ApiPropertyOptional({ description: 'Business date to (inclusive).', example: '2024-10-31' })
  @IsOptional()
  @IsLocalDate()
  businessTo?: string;
}
