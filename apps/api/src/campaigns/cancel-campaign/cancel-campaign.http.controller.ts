import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { CancelCampaignRequest } from './cancel-campaign.request.dto.js';
import { cancelCampaign } from './cancel-campaign.use-case.js';

class CancelCampaignBody extends OmitType(CancelCampaignRequest, ['campaignId']) {}

@ApiTags('Campaigns')
@Controller('campaigns/:campaignId/cancellation')
export class CancelCampaignController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...cancelCampaign.roles)
  @ApiCommand('Cancel a campaign that has not ended, with a reason.')
  cancel(
    @Param('campaignId', new EntityIdPipe('campaignId')) campaignId: string,
    @Body() body: CancelCampaignBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(cancelCampaign, { ...body, campaignId }, context));
  }
}
