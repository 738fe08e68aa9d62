import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { SetMilestoneRequest } from './set-milestone.request.dto.js';
import { setMilestone } from './set-milestone.use-case.js';

@ApiTags('Milestones')
@Controller('milestones')
export class SetMilestoneController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...setMilestone.roles)
  @ApiCommand(
    'Set a requirement with a deadline over the units under a scope unit that match a criterion.',
  )
  set(
    @Body() body: SetMilestoneRequest,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(setMilestone, body, context));
  }
}
