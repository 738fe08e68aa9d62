import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { CollectContributionRequest } from './collect-contribution.request.dto.js';
import { collectContribution } from './collect-contribution.use-case.js';

class CollectContributionBody extends OmitType(CollectContributionRequest, ['participantId']) {}

@ApiTags('Participants')
@Controller('participants/:participantId/contributions')
export class CollectContributionController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...collectContribution.roles)
  @ApiCommand(
    "Record a contribution collected from an active participant; coverage extends to the period's last day.",
  )
  collect(
    @Param('participantId', new EntityIdPipe('participantId')) participantId: string,
    @Body() body: CollectContributionBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(collectContribution, { ...body, participantId }, context),
    );
  }
}
