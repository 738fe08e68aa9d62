import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { PlanIdPipe } from '../plan-id.js';
import { RevisePlanRequest } from './revise-plan.request.dto.js';
import { revisePlan } from './revise-plan.use-case.js';

class RevisePlanBody extends OmitType(RevisePlanRequest, ['planId']) {}

@ApiTags('Plans')
@Controller('plans/:planId/revisions')
export class RevisePlanController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...revisePlan.roles)
  @ApiCommand(
    "Revise a plan's target from a date, by decision; the previous target stays in force " +
      'before that date and in the history.',
  )
  revise(
    @Param('planId', PlanIdPipe) planId: string,
    @Body() body: RevisePlanBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(revisePlan, { ...body, planId }, context));
  }
}
