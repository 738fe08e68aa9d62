import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { LaunchCampaignRequest } from './launch-campaign.request.dto.js';
import { launchCampaign } from './launch-campaign.use-case.js';

@ApiTags('Campaigns')
@Controller('campaigns')
export class LaunchCampaignController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles(...launchCampaign.roles)
  @ApiCommand('Launch a time-boxed campaign over a set of units, with its objectives.')
  launch(
    @Body() body: LaunchCampaignRequest,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordFacts(launchCampaign, body, context));
  }
}
