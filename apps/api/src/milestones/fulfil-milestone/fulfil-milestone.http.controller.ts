import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { FulfilMilestoneRequest } from './fulfil-milestone.request.dto.js';
import { fulfilMilestone } from './fulfil-milestone.use-case.js';

class FulfilMilestoneBody extends OmitType(FulfilMilestoneRequest, ['milestoneId']) {}

@ApiTags('Milestones')
@Controller('milestones/:milestoneId/fulfilments')
export class FulfilMilestoneController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...fulfilMilestone.roles)
  @ApiCommand("Record a unit's fulfilment of a milestone; after the deadline it is marked late.")
  fulfil(
    @Param('milestoneId', new EntityIdPipe('milestoneId')) milestoneId: string,
    @Body() body: FulfilMilestoneBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(fulfilMilestone, { ...body, milestoneId }, context),
    );
  }
}
