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
import { type UseCase, useCase } from '../../ledger/use-case.js';
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

/** The stream that must exist for a rule to be set on a subject of each kind. */
const SUBJECT_STREAMS: Record<RuledSubject['kind'], (id: string) => string> = {
  milestone: milestoneStream,
  campaign: campaignStream,
  organization: organizationStream,
  agent: agentStream,
  unit: unitStream,
};

/**
 * The command setting one kind of subject's rule: which request field names the subject, and
 * the thresholds the request carries.
 */
function setAlertRule<R extends { webhook?: AlertWebhookReference | null }>(
  name: string,
  request: UseCase<R>['request'],
  kind: RuledSubject['kind'],
  idOf: (request: R) => string,
  thresholds: (request: R) => Record<string, number>,
): UseCase<R> {
  return useCase({
    name,
    request,
    roles: WRITERS,
    async execute(transaction, command) {
      const id = idOf(command);
      const subject = { kind, id } as RuledSubject;
      const stream = SUBJECT_STREAMS[kind](id);
      await setRule(transaction, subject, stream, thresholds(command), command.webhook);
    },
  });
}

export const setMilestoneAlertRule = setAlertRule(
  'SetMilestoneAlertRule',
  SetMilestoneAlertRuleRequest,
  'milestone',
  ({ milestoneId }) => milestoneId,
  ({ atRiskDaysLeft }) => ({ atRiskDaysLeft }),
);

export const setCampaignAlertRule = setAlertRule(
  'SetCampaignAlertRule',
  SetCampaignAlertRuleRequest,
  'campaign',
  ({ campaignId }) => campaignId,
  ({ behindLinePercent, behindForDays }) => ({
    behindLinePercent,
    behindForDays: behindForDays ?? 1,
  }),
);

export const setOrganizationAlertRule = setAlertRule(
  'SetOrganizationAlertRule',
  SetOrganizationAlertRuleRequest,
  'organization',
  ({ organizationId }) => organizationId,
  ({ developmentPercent, retentionPercent }) => ({ developmentPercent, retentionPercent }),
);

export const setAgentAlertRule = setAlertRule(
  'SetAgentAlertRule',
  SetAgentAlertRuleRequest,
  'agent',
  ({ agentId }) => agentId,
  ({ developmentPercent, retentionPercent }) => ({ developmentPercent, retentionPercent }),
);

export const setUnitAlertRule = setAlertRule(
  'SetUnitAlertRule',
  SetUnitAlertRuleRequest,
  'unit',
  ({ unitId }) => unitId,
  ({ attainmentBelowPercent }) => ({ attainmentBelowPercent }),
);
