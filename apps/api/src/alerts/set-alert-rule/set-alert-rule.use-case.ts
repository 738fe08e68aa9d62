import {
  type RuledSubject,
  UnknownEntity,
  alertRulesDecider,
  alertRulesStream,
  campaignStream,
  milestoneStream,
} from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { type LedgerTransaction } from '../../ledger/ledger-transaction.js';
import { useCase } from '../../ledger/use-case.js';
import {
  SetCampaignAlertRuleRequest,
  SetMilestoneAlertRuleRequest,
} from './set-alert-rule.request.dto.js';

async function setRule(
  transaction: LedgerTransaction,
  subject: RuledSubject,
  subjectStream: string,
  rule: Record<string, number>,
): Promise<void> {
  if (!(await transaction.exists(subjectStream))) {
    throw new UnknownEntity(subject.kind, subject.id, `${subject.kind}Id`);
  }
  const setOn = transaction.today();
  await transaction.decide(
    alertRulesDecider,
    alertRulesStream(subject),
    { type: 'SetAlertRule', subject, rule: rule as never, setOn },
    setOn,
  );
}

export const setMilestoneAlertRule = useCase({
  name: 'SetMilestoneAlertRule',
  request: SetMilestoneAlertRuleRequest,
  roles: WRITERS,
  async execute(transaction, { milestoneId, atRiskDaysLeft }) {
    const subject: RuledSubject = { kind: 'milestone', id: milestoneId };
    await setRule(transaction, subject, milestoneStream(milestoneId), { atRiskDaysLeft });
  },
});

export const setCampaignAlertRule = useCase({
  name: 'SetCampaignAlertRule',
  request: SetCampaignAlertRuleRequest,
  roles: WRITERS,
  async execute(transaction, { campaignId, behindLinePercent }) {
    const subject: RuledSubject = { kind: 'campaign', id: campaignId };
    await setRule(transaction, subject, campaignStream(campaignId), { behindLinePercent });
  },
});
