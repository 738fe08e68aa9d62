import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { RecordOpeningStockRequest } from './record-opening-stock.request.dto.js';
import { recordOpeningStock } from './record-opening-stock.use-case.js';

@ApiTags('Participation reports')
@Controller('opening-stocks')
export class RecordOpeningStockController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...recordOpeningStock.roles)
  @ApiCommand(
    'Record how many participated in a unit and scheme at a date, the base later reports change.',
  )
  record(
    @Body() body: RecordOpeningStockRequest,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(recordOpeningStock, body, context));
  }
}
