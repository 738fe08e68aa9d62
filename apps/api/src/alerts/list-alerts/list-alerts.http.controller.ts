import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ALERT_SUBJECT_KINDS, type AlertSubject } from '#domain';
import { ListAlerts } from '#projections';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { PageQuery, readOptions } from '../../read-models/read-query.dto.js';
import { IsEntityId, IsQueryBoolean } from '../../validation/validators.js';
import { AlertListAnswer } from './alerts.dto.js';

export class AlertsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['raised', 'cleared'], description: 'Only alerts in this state.' })
  @IsOptional()
  @IsIn(['raised', 'cleared'])
  status?: 'raised' | 'cleared';

  @ApiPropertyOptional({ enum: ALERT_SUBJECT_KINDS, description: 'Only this kind.' })
  @IsOptional()
  @IsIn(ALERT_SUBJECT_KINDS)
  subjectKind?: AlertSubject['kind'];

  @ApiPropertyOptional({
    description: 'Only alerts about this milestone, campaign, organization, agent or unit.',
  })
  @IsOptional()
  @IsEntityId()
  subjectId?: string;

  @ApiPropertyOptional({ description: 'Only acknowledged (true) or unacknowledged (false) ones.' })
  @IsOptional()
  @IsQueryBoolean()
  acknowledged?: boolean;
}

@ApiTags('Alerts')
@Controller('alerts')
export class ListAlertsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiRead('Alerts raised and cleared, latest change first, paged.', AlertListAnswer)
  list(@Query() query: AlertsQuery) {
    const { status, subjectKind, subjectId, acknowledged, limit, offset } = query;
    return this.queries.execute(
      new ListAlerts(
        { status, subjectKind, subjectId, acknowledged },
        { limit, offset },
        readOptions(query),
      ),
    );
  }
}
