import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { AcknowledgeAlertRequest } from './acknowledge-alert.request.dto.js';
import { acknowledgeAlert } from './acknowledge-alert.use-case.js';
import { AlertIdPipe } from './alert-id.pipe.js';

class AcknowledgeAlertBody extends OmitType(AcknowledgeAlertRequest, ['alertId']) {}

@ApiTags('Alerts')
@Controller('alerts/:alertId/acknowledgements')
export class AcknowledgeAlertController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...acknowledgeAlert.roles)
  @ApiCommand('Acknowledge a raised alert, with a note; a raise after a clear wants a new one.')
  acknowledge(
    @Param('alertId', AlertIdPipe) alertId: string,
    @Body() body: AcknowledgeAlertBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(acknowledgeAlert, { ...body, alertId }, context));
  }
}
