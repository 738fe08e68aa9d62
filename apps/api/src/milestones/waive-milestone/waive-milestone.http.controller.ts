import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { WaiveMilestoneRequest } from './waive-milestone.request.dto.js';
import { waiveMilestone } from './waive-milestone.use-case.js';

class WaiveMilestoneBody extends OmitType(WaiveMilestoneRequest, ['milestoneId']) {}

@ApiTags('Milestones')
@Controller('milestones/:milestoneId/waivers')
export class WaiveMilestoneController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...waiveMilestone.roles)
  @ApiCommand('Excuse a unit from a milestone, with a reason (not once it has fulfilled it).')
  waive(
    @Param('milestoneId', new EntityIdPipe('milestoneId')) milestoneId: string,
    @Body() body: WaiveMilestoneBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(waiveMilestone, { ...body, milestoneId }, context),
    );
  }
}
