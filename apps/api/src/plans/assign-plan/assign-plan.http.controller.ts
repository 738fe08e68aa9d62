import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { AssignPlanRequest } from './assign-plan.request.dto.js';
import { assignPlan } from './assign-plan.use-case.js';

@ApiTags('Plans')
@Controller('plans')
export class AssignPlanController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...assignPlan.roles)
  @ApiCommand(
    "Assign a unit's yearly target for a scheme and metric; the plan's stream is " +
      'plan-<unitId>.<scheme>.<metric>.<year>. A second assignment is refused: revise instead.',
  )
  assign(
    @Body() body: AssignPlanRequest,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(assignPlan, body, context));
  }
}
