import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { CloseCampaignEarlyRequest } from './close-campaign-early.request.dto.js';
import { closeCampaignEarly } from './close-campaign-early.use-case.js';

class CloseCampaignEarlyBody extends OmitType(CloseCampaignEarlyRequest, ['campaignId']) {}

@ApiTags('Campaigns')
@Controller('campaigns/:campaignId/early-closure')
export class CloseCampaignEarlyController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...closeCampaignEarly.roles)
  @ApiCommand('Close a running campaign before its end date, with a reason.')
  close(
    @Param('campaignId', new EntityIdPipe('campaignId')) campaignId: string,
    @Body() body: CloseCampaignEarlyBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(closeCampaignEarly, { ...body, campaignId }, context),
    );
  }
}
