import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { RegisterUnitRequest } from './register-unit.request.dto.js';
import { registerUnit } from './register-unit.use-case.js';

@ApiTags('Administrative units')
@Controller('units')
export class RegisterUnitController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...registerUnit.roles)
  @ApiCommand('Register an administrative unit under its parent (any depth).')
  register(
    @Body() body: RegisterUnitRequest,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(registerUnit, body, context));
  }
}
