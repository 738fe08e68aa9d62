import {
  type AlertRule,
  type RuledSubject,
  UnknownEntity,
  agentStream,
  alertRulesDecider,
  alertRulesStream,
  campaignStream,
  milestoneStream,
  organizationStream,
  unitStream,
} from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { type LedgerTransaction } from '../../ledger/ledger-transaction.js';
import { useCase } from '../../ledger/use-case.js';
import {
  type AlertWebhookReference,
  SetAgentAlertRuleRequest,
  SetCampaignAlertRuleRequest,
  SetMilestoneAlertRuleRequest,
  SetOrganizationAlertRuleRequest,
  SetUnitAlertRuleRequest,
} from './set-alert-rule.request.dto.js';

async function setRule(
  transaction: LedgerTransaction,
  subject: RuledSubject,
  subjectStream: string,
  thresholds: Record<string, number>,
  webhook: AlertWebhookReference | null | undefined,
): Promise<void> {
  if (!(await transaction.exists(subjectStream))) {
    throw new UnknownEntity(subject.kind, subject.id, `${subject.kind}Id`);
  }
  const setOn = transaction.today();
  const rule = {
    ...thresholds,
    ...(webhook ? { webhook: { url: webhook.url, secretRef: webhook.secretRef } } : {}),
  } as AlertRule;
  await transaction.decide(
    alertRulesDecider,
    alertRulesStream(subject),
    { type: 'SetAlertRule', subject, rule, setOn },
    setOn,
  );
}

export const setMilestoneAlertRule = useCase({
  name: 'SetMilestoneAlertRule',
  request: SetMilestoneAlertRuleRequest,
  roles: WRITERS,
  async execute(transaction, { milestoneId, atRiskDaysLeft, webhook }) {
    const subject: RuledSubject = { kind: 'milestone', id: milestoneId };
    await setRule(transaction, subject, milestoneStream(milestoneId), { atRiskDaysLeft }, webhook);
  },
});

export const setCampaignAlertRule = useCase({
  name: 'SetCampaignAlertRule',
  request: SetCampaignAlertRuleRequest,
  roles: WRITERS,
  async execute(transaction, { campaignId, behindLinePercent, behindForDays, webhook }) {
    const subject: RuledSubject = { kind: 'campaign', id: campaignId };
    await setRule(
      transaction,
      subject,
      campaignStream(campaignId),
      { behindLinePercent, behindForDays: behindForDays ?? 1 },
      webhook,
    );
  },
});

export const setOrganizationAlertRule = useCase({
  name: 'SetOrganizationAlertRule',
  request: SetOrganizationAlertRuleRequest,
  roles: WRITERS,
  async execute(transaction, { organizationId, developmentPercent, retentionPercent, webhook }) {
    const subject: RuledSubject = { kind: 'organization', id: organizationId };
    await setRule(
      transaction,
      subject,
      organizationStream(organizationId),
      { developmentPercent, retentionPercent },
      webhook,
    );
  },
});

export const setAgentAlertRule = useCase({
  name: 'SetAgentAlertRule',
  request: SetAgentAlertRuleRequest,
  roles: WRITERS,
  async execute(transaction, { agentId, developmentPercent, retentionPercent, webhook }) {
    const subject: RuledSubject = { kind: 'agent', id: agentId };
    await setRule(
      transaction,
      subject,
      agentStream(agentId),
      { developmentPercent, retentionPercent },
      webhook,
    );
  },
});

export const setUnitAlertRule = useCase({
  name: 'SetUnitAlertRule',
  request: SetUnitAlertRuleRequest,
  roles: WRITERS,
  async execute(transaction, { unitId, attainmentBelowPercent, webhook }) {
    const subject: RuledSubject = { kind: 'unit', id: unitId };
    await setRule(transaction, subject, unitStream(unitId), { attainmentBelowPercent }, webhook);
  },
});
