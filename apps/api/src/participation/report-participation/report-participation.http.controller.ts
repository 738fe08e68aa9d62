import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { ReportParticipationRequest } from './report-participation.request.dto.js';
import { reportParticipation } from './report-participation.use-case.js';

@ApiTags('Participation reports')
@Controller('participation-reports')
export class ReportParticipationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...reportParticipation.roles)
  @ApiCommand(
    'Report gains and stops of a unit and scheme for a date (employer schemes, history); a date is reported once, then corrected.',
  )
  report(
    @Body() body: ReportParticipationRequest,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(reportParticipation, body, context));
  }
}
