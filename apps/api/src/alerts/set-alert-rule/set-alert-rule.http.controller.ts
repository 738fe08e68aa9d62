import { Body, Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, OmitType } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import {
  SetCampaignAlertRuleRequest,
  SetMilestoneAlertRuleRequest,
} from './set-alert-rule.request.dto.js';
import { setCampaignAlertRule, setMilestoneAlertRule } from './set-alert-rule.use-case.js';

class MilestoneAlertRuleBody extends OmitType(SetMilestoneAlertRuleRequest, ['milestoneId']) {}
class CampaignAlertRuleBody extends OmitType(SetCampaignAlertRuleRequest, ['campaignId']) {}

@ApiTags('Alerts')
@Controller()
export class SetAlertRuleController {
  constructor(private readonly commands: CommandBus) {}

  @Put('milestones/:milestoneId/alert-rule')
  @Roles(...setMilestoneAlertRule.roles)
  @ApiCommand("Set when a milestone's at-risk alert is raised, replacing the default.")
  setForMilestone(
    @Param('milestoneId', new EntityIdPipe('milestoneId')) milestoneId: string,
    @Body() body: MilestoneAlertRuleBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(setMilestoneAlertRule, { ...body, milestoneId }, context),
    );
  }

  @Put('campaigns/:campaignId/alert-rule')
  @Roles(...setCampaignAlertRule.roles)
  @ApiCommand("Set when a campaign's behind-the-line alert is raised, replacing the default.")
  setForCampaign(
    @Param('campaignId', new EntityIdPipe('campaignId')) campaignId: string,
    @Body() body: CampaignAlertRuleBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.commands.execute(
      new RecordFacts(setCampaignAlertRule, { ...body, campaignId }, context),
    );
  }
}
