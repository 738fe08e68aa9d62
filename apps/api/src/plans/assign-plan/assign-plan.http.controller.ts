import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { planIdOf } from '#domain';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { AssignPlanRequest } from './assign-plan.request.dto.js';
import { assignPlan } from './assign-plan.use-case.js';
import { PlanAssigned } from './plan-assigned.dto.js';

@ApiTags('Plans')
@Controller('plans')
export class AssignPlanController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...assignPlan.roles)
  // Above ApiCommand, so that it replaces the shared 201 answer with one that carries the id.
  @ApiCreatedResponse({
    type: PlanAssigned,
    description: 'Recorded: where in the log, and the plan id.',
  })
  @ApiCommand(
    "Assign a unit's yearly target for a scheme and metric; the plan's stream is " +
      'plan-<unitId>.<scheme>.<metric>.<year>. A second assignment is refused: revise instead.',
  )
  async assign(
    @Body() body: AssignPlanRequest,
    @CommandContext() context: RequestContext,
  ): Promise<PlanAssigned> {
    const recorded = await this.commands.execute(new RecordFacts(assignPlan, body, context));
    return { ...recorded, planId: planIdOf(body) };
  }
}
