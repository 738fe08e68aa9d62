import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { RegisterOrganizationRequest } from './register-organization.request.dto.js';
import { registerOrganization } from './register-organization.use-case.js';

@ApiTags('Collection')
@Controller('organizations')
export class RegisterOrganizationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...registerOrganization.roles)
  @ApiCommand(
    'Register a collection service organization (post office, cooperative...) for a province.',
  )
  register(
    @Body() body: RegisterOrganizationRequest,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(registerOrganization, body, context));
  }
}
