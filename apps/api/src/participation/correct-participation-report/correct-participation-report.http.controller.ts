import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { CorrectParticipationReportRequest } from './correct-participation-report.request.dto.js';
import { correctParticipationReport } from './correct-participation-report.use-case.js';

@ApiTags('Participation reports')
@Controller('participation-reports/corrections')
export class CorrectParticipationReportController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...correctParticipationReport.roles)
  @ApiCommand(
    'Correct the figures reported for a date, with a reason; the previous figures are kept.',
  )
  correct(
    @Body() body: CorrectParticipationReportRequest,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(correctParticipationReport, body, context));
  }
}
