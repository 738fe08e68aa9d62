import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SCHEME_SCOPES, type SchemeScope } from '#domain';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { type Role } from '../auth/actor.js';
import { ReadAnswerDto, ReadQuery } from '../read-models/read-query.dto.js';
import { IsEntityId, IsLocalDate } from '../validation/validators.js';

/** Who reads the audit routes: they expose every actor's facts. */
export const AUDIT_READERS: readonly Role[] = ['admin', 'auditor'];

/** A page of the log in log order, continued with `after`. */
export class AuditPageQuery extends ReadQuery {
  @ApiPropertyOptional({
    description: 'Only events after this log position: the `next` of the previous page.',
    example: 0,
  })
  @IsOptional()
  @Min(0)
  @IsInt()
  @Type(() => Number)
  after?: number;

  @ApiPropertyOptional({ description: 'Events per page (1–500).', example: 100, default: 100 })
  @IsOptional()
  @Max(500)
  @Min(1)
  @IsInt()
  @Type(() => Number)
  limit: number = 100;
}

/** A figure: attainment of a unit (with everything below it) for a scheme on a date. */
export class AttainmentFigureQuery extends AuditPageQuery {
  @ApiProperty({ example: 'HP' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({
    enum: SCHEME_SCOPES,
    description: 'A scheme, or a scheme group (the events of every member count).',
    example: 'voluntary-social-insurance',
  })
  @IsIn(SCHEME_SCOPES)
  scheme!: SchemeScope;

  @ApiProperty({ description: 'The business date of the figure.', example: '2024-09-30' })
  @IsLocalDate()
  date!: string;
}

export class AuditEntryDto {
  @ApiProperty({ example: 5120 }) position!: number;
  @ApiProperty({ example: '0b8c1c0e-6d1f-4a53-9b55-0f0c3d9a4e21' }) eventId!: string;
  @ApiProperty({ example: 'unit-participation-HP.voluntary-social-insurance' }) streamId!: string;
  @ApiProperty({ example: 3 }) revision!: number;
  @ApiProperty({ example: 'ParticipationReportCorrected' }) type!: string;
  @ApiProperty({ description: 'Who recorded it.', example: 'hai-phong-office' }) actor!: string;
  @ApiProperty({ type: String, nullable: true, example: 'October report' })
  source!: string | null;
  @ApiProperty({ example: 'c1f7…' }) correlationId!: string;
  @ApiProperty({ description: 'Business time.', example: '2024-11-07T17:00:00.000Z' })
  occurredAt!: string;
  @ApiProperty({ description: 'When it was recorded.', example: '2024-11-08T02:13:44.120Z' })
  recordedAt!: string;
  @ApiProperty({ description: 'occurredAt as a date in Asia/Ho_Chi_Minh.', example: '2024-11-08' })
  businessDate!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The business day from which it counts in figures (a report’s day, a plan’s effective date).',
    example: '2024-09-30',
  })
  figureDay!: string | null;
  @ApiProperty({ type: [String], example: ['HP'] }) unitIds!: string[];
  @ApiProperty({ type: String, nullable: true, example: 'voluntary-social-insurance' })
  scheme!: string | null;
  @ApiProperty({ description: 'The event’s data as recorded.', type: Object }) data!: unknown;
  @ApiProperty({ description: 'Other metadata (causation, import line…).', type: Object })
  metadata!: Record<string, unknown>;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'The page’s events, in log order.' })
  entries!: AuditEntryDto[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Pass as `after` for the next page; null on the last page.',
    example: 5230,
  })
  next!: number | null;
}

export class AuditPageAnswer extends ReadAnswerDto {
  @ApiProperty({ type: AuditPageDto, description: 'One page of events.' }) data!: AuditPageDto;
}
