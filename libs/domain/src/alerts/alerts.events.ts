import { type DomainEvent } from '../shared/decider.js';
import { type LocalDate } from '../shared/local-date.js';

export const ALERT_SUBJECT_KINDS = [
  'milestone',
  'campaign',
  'organization',
  'agent',
  'unit',
] as const;

/** What an alert is about. */
export type AlertSubject = { kind: (typeof ALERT_SUBJECT_KINDS)[number]; id: string };

/** What an alert rule can be set for: every kind of subject. */
export type RuledSubject = AlertSubject;

/**
 * Where a subject's alerts are posted instead of the service's webhook. The secret that signs
 * them is not in the log (the log is read by auditors): only a random reference to it in the
 * service's store of webhook secrets. Rules recorded before the reference named the secret by
 * its unsalted SHA-256, which still finds it.
 */
export type AlertWebhook =
  | { url: string; secretRef: string; secretSha256?: undefined }
  | { url: string; secretSha256: string; secretRef?: undefined };

/** What every rule may carry besides its thresholds. */
export type RuleDelivery = { webhook?: AlertWebhook | null };

export type MilestoneAlertRule = RuleDelivery & {
  /** At risk once this many days or fewer remain with units still pending. */
  atRiskDaysLeft: number;
};

export type CampaignAlertRule = RuleDelivery & {
  /** Behind when an objective is below its should-be line by more than this share of it. */
  behindLinePercent: number;
  /** … on each of this many days in a row (today included). */
  behindForDays: number;
};

/** An organization's or agent's month, as the performance rankings judge it. */
export type PerformanceAlertRule = RuleDelivery & {
  /** Under-performing when the month's new participants are below this share of a twelfth of the yearly target… */
  developmentPercent: number;
  /** … or when fewer than this share of the renewals due in the month were paid on time. */
  retentionPercent: number;
};

export type UnitAlertRule = RuleDelivery & {
  /** Below plan when the participants at month-end are below this share of the plan in force. */
  attainmentBelowPercent: number;
};

export type AlertRule =
  MilestoneAlertRule | CampaignAlertRule | PerformanceAlertRule | UnitAlertRule;

export type AlertCondition =
  | 'milestone-at-risk'
  | 'milestone-missed'
  | 'campaign-behind-line'
  | 'campaign-objective-met'
  | 'renewals-due'
  | 'under-performing'
  | 'attainment-below-plan';

/** The figures that made a condition hold (or stop holding), as read at the time. */
export type AlertFigures = Record<string, number | string | boolean | null>;

export type AlertRuleSet = DomainEvent<
  'AlertRuleSet',
  { subject: RuledSubject; rule: AlertRule; setOn: LocalDate }
>;

export type AlertRaised = DomainEvent<
  'AlertRaised',
  {
    alertId: string;
    condition: AlertCondition;
    subject: AlertSubject;
    /** The period the condition is judged for: a milestone's deadline, a campaign's window. */
    period: string;
    /** The business date it was observed on. */
    observedOn: LocalDate;
    figures: AlertFigures;
  }
>;

export type AlertCleared = DomainEvent<
  'AlertCleared',
  {
    alertId: string;
    condition: AlertCondition;
    subject: AlertSubject;
    period: string;
    observedOn: LocalDate;
    figures: AlertFigures;
  }
>;

/** Someone has seen a raised alert; it stays raised until its condition stops holding. */
export type AlertAcknowledged = DomainEvent<
  'AlertAcknowledged',
  {
    alertId: string;
    condition: AlertCondition;
    subject: AlertSubject;
    period: string;
    note: string | null;
    acknowledgedOn: LocalDate;
  }
>;

export type AlertRuleEvent = AlertRuleSet;
export type AlertEvent = AlertRaised | AlertCleared | AlertAcknowledged;
