import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { ListAlerts } from '#projections';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { PageQuery, readOptions } from '../../read-models/read-query.dto.js';
import { IsEntityId } from '../../validation/validators.js';
import { AlertListAnswer } from './alerts.dto.js';

export class AlertsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['raised', 'cleared'], description: 'Only alerts in this state.' })
  @IsOptional()
  @IsIn(['raised', 'cleared'])
  status?: 'raised' | 'cleared';

  @ApiPropertyOptional({ enum: ['milestone', 'campaign', 'agent'], description: 'Only this kind.' })
  @IsOptional()
  @IsIn(['milestone', 'campaign', 'agent'])
  subjectKind?: 'milestone' | 'campaign' | 'agent';

  @ApiPropertyOptional({ description: 'Only alerts about this milestone, campaign or agent.' })
  @IsOptional()
  @IsEntityId()
  subjectId?: string;

  @ApiPropertyOptional({ description: 'Only acknowledged (true) or unacknowledged (false) ones.' })
  @IsOptional()
  @IsBoolean()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
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
