import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { EndAgentAssignmentRequest } from './end-agent-assignment.request.dto.js';
import { endAgentAssignment } from './end-agent-assignment.use-case.js';

class EndAgentAssignmentBody extends OmitType(EndAgentAssignmentRequest, ['agentId']) {}

@ApiTags('Collection')
@Controller('agents/:agentId/assignments/end')
export class EndAgentAssignmentController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...endAgentAssignment.roles)
  @ApiCommand("End the agent's current assignment on its last day.")
  end(
    @Param('agentId', new EntityIdPipe('agentId')) agentId: string,
    @Body() body: EndAgentAssignmentBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(endAgentAssignment, { ...body, agentId }, context),
    );
  }
}
