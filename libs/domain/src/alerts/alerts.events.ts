import { type DomainEvent } from '../shared/decider.js';
import { type LocalDate } from '../shared/local-date.js';

/** What an alert is about; agents get renewal reminders, which take no rule. */
export type AlertSubject = { kind: 'milestone' | 'campaign' | 'agent'; id: string };

/** What an alert rule can be set for. */
export type RuledSubject = { kind: 'milestone' | 'campaign'; id: string };

export type MilestoneAlertRule = {
  /** At risk once this many days or fewer remain with units still pending. */
  atRiskDaysLeft: number;
};

export type CampaignAlertRule = {
  /** Behind when an objective is below its should-be line by more than this share of it. */
  behindLinePercent: number;
};

export type AlertRule = MilestoneAlertRule | CampaignAlertRule;

export type AlertCondition =
  | 'milestone-at-risk'
  | 'milestone-missed'
  | 'campaign-behind-line'
  | 'campaign-objective-met'
  | 'renewals-due';

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
