import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { RecordPublishedFigureRequest } from './record-published-figure.request.dto.js';
import { recordPublishedFigure } from './record-published-figure.use-case.js';

@ApiTags('Published figures')
@Controller('published-figures')
export class RecordPublishedFigureController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...recordPublishedFigure.roles)
  @ApiCommand(
    'Record that a report published a figure (unit, scheme or group, measure, date, value), ' +
      'where, when and by whom, so it can later be checked against what the service knows.',
  )
  record(
    @Body() body: RecordPublishedFigureRequest,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(recordPublishedFigure, body, context));
  }
}
