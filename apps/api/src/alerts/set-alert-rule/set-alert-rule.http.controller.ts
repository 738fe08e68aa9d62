import { Body, Controller, Param, Put, applyDecorators } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags, OmitType } from '@nestjs/swagger';
import { Type as TransformType } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiCommand } from '../../ledger/api-command.decorator.js';
import { RecordFacts } from '../../ledger/record-facts.command.js';
import { type Recorded } from '../../ledger/recorded.js';
import { CommandContext, type RequestContext } from '../../ledger/request-context.js';
import { type UseCase } from '../../ledger/use-case.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { WebhookSecrets } from '../delivery/webhook-secrets.js';
import {
  AlertWebhookRequest,
  SetAgentAlertRuleRequest,
  SetCampaignAlertRuleRequest,
  SetMilestoneAlertRuleRequest,
  SetOrganizationAlertRuleRequest,
  SetUnitAlertRuleRequest,
} from './set-alert-rule.request.dto.js';
import {
  setAgentAlertRule,
  setCampaignAlertRule,
  setMilestoneAlertRule,
  setOrganizationAlertRule,
  setUnitAlertRule,
} from './set-alert-rule.use-case.js';

/** A rule's webhook over HTTP: with its secret, which the log never sees. */
const WebhookField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: AlertWebhookRequest,
      description:
        "Post this subject's alerts here, signed with this secret, instead of the service's " +
        "webhook (ALERT_WEBHOOK_URL); absent: the service's.",
    }),
    IsOptional(),
    ValidateNested(),
    TransformType(() => AlertWebhookRequest),
  );

class MilestoneAlertRuleBody extends OmitType(SetMilestoneAlertRuleRequest, [
  'milestoneId',
  'webhook',
] as const) {
  @WebhookField()
  webhook?: AlertWebhookRequest;
}
class CampaignAlertRuleBody extends OmitType(SetCampaignAlertRuleRequest, [
  'campaignId',
  'webhook',
] as const) {
  @WebhookField()
  webhook?: AlertWebhookRequest;
}
class OrganizationAlertRuleBody extends OmitType(SetOrganizationAlertRuleRequest, [
  'organizationId',
  'webhook',
] as const) {
  @WebhookField()
  webhook?: AlertWebhookRequest;
}
class AgentAlertRuleBody extends OmitType(SetAgentAlertRuleRequest, [
  'agentId',
  'webhook',
] as const) {
  @WebhookField()
  webhook?: AlertWebhookRequest;
}
class UnitAlertRuleBody extends OmitType(SetUnitAlertRuleRequest, ['unitId', 'webhook'] as const) {
  @WebhookField()
  webhook?: AlertWebhookRequest;
}

@ApiTags('Alerts')
@Controller()
export class SetAlertRuleController {
  constructor(
    private readonly commands: CommandBus,
    private readonly secrets: WebhookSecrets,
  ) {}

  /** Keeps the webhook's secret out of the log: the command names it by a random reference. */
  private async record<R extends object>(
    useCase: UseCase<R>,
    { webhook, ...body }: { webhook?: AlertWebhookRequest },
    subject: object,
    context: RequestContext,
  ): Promise<Recorded> {
    const reference = webhook
      ? { url: webhook.url, secretRef: await this.secrets.keep(webhook.secret) }
      : undefined;
    return this.commands.execute(
      new RecordFacts(useCase, { ...body, ...subject, webhook: reference } as R, context),
    );
  }

  @Put('milestones/:milestoneId/alert-rule')
  @Roles(...setMilestoneAlertRule.roles)
  @ApiCommand(
    "Set when a milestone's at-risk alert is raised (and where it is posted), replacing the default.",
  )
  setForMilestone(
    @Param('milestoneId', new EntityIdPipe('milestoneId')) milestoneId: string,
    @Body() body: MilestoneAlertRuleBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.record(setMilestoneAlertRule, body, { milestoneId }, context);
  }

  @Put('campaigns/:campaignId/alert-rule')
  @Roles(...setCampaignAlertRule.roles)
  @ApiCommand(
    "Set when a campaign's behind-the-line alert is raised (and where it is posted), replacing the default.",
  )
  setForCampaign(
    @Param('campaignId', new EntityIdPipe('campaignId')) campaignId: string,
    @Body() body: CampaignAlertRuleBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.record(setCampaignAlertRule, body, { campaignId }, context);
  }

  @Put('organizations/:organizationId/alert-rule')
  @Roles(...setOrganizationAlertRule.roles)
  @ApiCommand(
    "Set when an organization's month counts as under-performing (and where it is posted), replacing the default.",
  )
  setForOrganization(
    @Param('organizationId', new EntityIdPipe('organizationId')) organizationId: string,
    @Body() body: OrganizationAlertRuleBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.record(setOrganizationAlertRule, body, { organizationId }, context);
  }

  @Put('agents/:agentId/alert-rule')
  @Roles(...setAgentAlertRule.roles)
  @ApiCommand(
    "Set when an agent's month counts as under-performing (and where its alerts, renewal reminders included, are posted), replacing the default.",
  )
  setForAgent(
    @Param('agentId', new EntityIdPipe('agentId')) agentId: string,
    @Body() body: AgentAlertRuleBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.record(setAgentAlertRule, body, { agentId }, context);
  }

  @Put('units/:unitId/alert-rule')
  @Roles(...setUnitAlertRule.roles)
  @ApiCommand(
    "Set when a unit's attainment at month-end counts as below plan (and where it is posted), replacing the default.",
  )
  setForUnit(
    @Param('unitId', new EntityIdPipe('unitId')) unitId: string,
    @Body() body: UnitAlertRuleBody,
    @CommandContext() context: RequestContext,
  ): Promise<Recorded> {
    return this.record(setUnitAlertRule, body, { unitId }, context);
  }
}
