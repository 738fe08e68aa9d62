import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { AssignAgentRequest } from './assign-agent.request.dto.js';
import { assignAgent } from './assign-agent.use-case.js';

class AssignAgentBody extends OmitType(AssignAgentRequest, ['agentId']) {}

@ApiTags('Collection')
@Controller('agents/:agentId/assignments')
export class AssignAgentController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...assignAgent.roles)
  @ApiCommand(
    'Assign an agent to an organization, and optionally one of its points, for a period that overlaps no other.',
  )
  assign(
    @Param('agentId', new EntityIdPipe('agentId')) agentId: string,
    @Body() body: AssignAgentBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(assignAgent, { ...body, agentId }, context));
  }
}
