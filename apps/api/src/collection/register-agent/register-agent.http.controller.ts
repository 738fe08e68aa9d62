import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { RegisterAgentRequest } from './register-agent.request.dto.js';
import { registerAgent } from './register-agent.use-case.js';

@ApiTags('Collection')
@Controller('agents')
export class RegisterAgentController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...registerAgent.roles)
  @ApiCommand('Register a collection agent; assign it to an organization separately.')
  register(
    @Body() body: RegisterAgentRequest,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(registerAgent, body, context));
  }
}
