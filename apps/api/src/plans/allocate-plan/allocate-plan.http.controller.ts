import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { PlanIdPipe } from '../plan-id.js';
import { AllocatePlanRequest } from './allocate-plan.request.dto.js';
import { allocatePlan } from './allocate-plan.use-case.js';

class AllocatePlanBody extends OmitType(AllocatePlanRequest, ['planId']) {}

@ApiTags('Plans')
@Controller('plans/:planId/allocations')
export class AllocatePlanController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...allocatePlan.roles)
  @ApiCommand(
    'Allocate a plan to child units, collection organizations and agents, each with a target.',
  )
  allocate(
    @Param('planId', PlanIdPipe) planId: string,
    @Body() body: AllocatePlanBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(allocatePlan, { ...body, planId }, context));
  }
}
