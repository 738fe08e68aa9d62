import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { ExtendCampaignRequest } from './extend-campaign.request.dto.js';
import { extendCampaign } from './extend-campaign.use-case.js';

class ExtendCampaignBody extends OmitType(ExtendCampaignRequest, ['campaignId']) {}

@ApiTags('Campaigns')
@Controller('campaigns/:campaignId/extensions')
export class ExtendCampaignController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...extendCampaign.roles)
  @ApiCommand('Extend a running campaign to a later end date, with a reason.')
  extend(
    @Param('campaignId', new EntityIdPipe('campaignId')) campaignId: string,
    @Body() body: ExtendCampaignBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(extendCampaign, { ...body, campaignId }, context));
  }
}
