import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { NotInReadModel } from '#projections';
import { DataSource } from 'typeorm';
import { type Actor, WRITERS } from '../../auth/actor.js';
import { CurrentActor, Roles } from '../../auth/auth.decorators.js';
import { Clock } from '../../clock.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import {
  DELIVERY_STATUSES,
  type DeliveryStatus,
  deliveriesPage,
  requestRedelivery,
} from './alert-deliveries.reads.js';

class DeliveriesQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'Only deliveries in this state.' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: 'Items per page (1–200).', default: 50 })
  @IsOptional()
  @Max(200)
  @Min(1)
  @IsInt()
  @Type(() => Number)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'Items to skip.', default: 0 })
  @IsOptional()
  @Min(0)
  @IsInt()
  @Type(() => Number)
  offset: number = 0;
}

@ApiTags('Alerts')
@ApiBearerAuth()
@Controller('alerts/deliveries')
export class AlertDeliveriesController {
  constructor(
    private readonly database: DataSource,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('admin', 'manager', 'auditor')
  @ApiOperation({ summary: 'Alert webhook deliveries, latest first, with the log of every try.' })
  @ApiOkResponse({ description: '`{ deliveries, total }`; see docs/alerts.md.' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A bad status or page.' })
  list(@Query() query: DeliveriesQuery) {
    return deliveriesPage(this.database, { status: query.status }, query);
  }

  @Post(':eventId/redeliver')
  @HttpCode(202)
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Queue an alert delivery again, due now, whatever its state.' })
  @ApiAcceptedResponse({ description: 'The delivery, pending again.' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'The id is not a UUID.' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only writers redeliver.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No delivery of that event.' })
  async redeliver(
    @Param('eventId', new ParseUUIDPipe()) eventId: string,
    @CurrentActor() actor: Actor,
  ) {
    const delivery = await requestRedelivery(this.database, eventId, actor.id, this.clock.now());
    if (!delivery) throw new NotInReadModel('alert delivery', eventId);
    return delivery;
  }
}
