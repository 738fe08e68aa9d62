import { type Decider } from '../shared/decider.js';
import { RuleViolation } from '../shared/errors.js';
import { type LocalDate } from '../shared/local-date.js';
import {
  type AlertRule,
  type AlertRuleEvent,
  type RuledSubject,
  type CampaignAlertRule,
  type MilestoneAlertRule,
  type PerformanceAlertRule,
  type UnitAlertRule,
} from './alerts.events.js';

/** What a new milestone or campaign is watched with until someone sets a rule of its own. */
export const DEFAULT_MILESTONE_ALERT_RULE: MilestoneAlertRule = { atRiskDaysLeft: 7 };
export const DEFAULT_CAMPAIGN_ALERT_RULE: CampaignAlertRule = {
  behindLinePercent: 10,
  behindForDays: 1,
};
/** The thresholds the province's monthly rankings single out under-performers by. */
export const DEFAULT_PERFORMANCE_ALERT_RULE: PerformanceAlertRule = {
  developmentPercent: 80,
  retentionPercent: 80,
};
export const DEFAULT_UNIT_ALERT_RULE: UnitAlertRule = { attainmentBelowPercent: 80 };

const DEFAULTS: Record<RuledSubject['kind'], AlertRule> = {
  milestone: DEFAULT_MILESTONE_ALERT_RULE,
  campaign: DEFAULT_CAMPAIGN_ALERT_RULE,
  organization: DEFAULT_PERFORMANCE_ALERT_RULE,
  agent: DEFAULT_PERFORMANCE_ALERT_RULE,
  unit: DEFAULT_UNIT_ALERT_RULE,
};

export type SetAlertRule = {
  type: 'SetAlertRule';
  subject: RuledSubject;
  rule: AlertRule;
  setOn: LocalDate;
};

export type AlertRules = { rule: AlertRule | null };

export const alertRulesStream = ({ kind, id }: RuledSubject) => `alert-rules-${kind}-${id}`;

export function defaultAlertRule(kind: RuledSubject['kind']): AlertRule {
  return DEFAULTS[kind];
}

/**
 * The rule in force for a subject: the last one set, else the default for its kind. A
 * threshold added after a rule was set (a campaign's `behindForDays`) takes its default.
 */
export function ruleInForce(kind: RuledSubject['kind'], rules: AlertRules): AlertRule {
  return { ...defaultAlertRule(kind), ...rules.rule };
}

/** Every threshold of the subject's kind, and nothing else but an optional webhook. */
function requireRuleFits({ subject, rule }: SetAlertRule): void {
  const fields = Object.keys(rule).filter((field) => field !== 'webhook');
  const expected = Object.keys(defaultAlertRule(subject.kind));
  if (fields.length !== expected.length || fields.some((field) => !expected.includes(field))) {
    throw new RuleViolation(
      `A ${subject.kind} alert rule has ${expected.join(', ')}; got ${fields.join(', ') || 'nothing'}`,
      'rule',
    );
  }
}

export const alertRulesDecider: Decider<SetAlertRule, AlertRuleEvent, AlertRules> = {
  initialState: { rule: null },
  evolve: (_, event) => ({ rule: event.data.rule }),
  decide(command) {
    requireRuleFits(command);
    const { subject, rule, setOn } = command;
    return [{ type: 'AlertRuleSet', data: { subject, rule, setOn } }];
  },
};
