import { type DomainEvent } from '../shared/decider.js';
import { type LocalDate } from '../shared/local-date.js';
import { type SchemeScope } from '../schemes/scheme-groups.js';

/**
 * Counts: people enrolled, contributions collected (VND), overdue debt recovered (VND).
 * Ratios: the late-payment ratio, overdue / amount due, with its target in basis points.
 */
export const CAMPAIGN_METRICS = [
  'participants',
  'contributions',
  'debt-recovered',
  'late-payment-ratio',
] as const;
export type CampaignMetric = (typeof CAMPAIGN_METRICS)[number];

export const RATIO_METRICS: readonly CampaignMetric[] = ['late-payment-ratio'];

/** Whether a ratio objective is a ceiling ("under 1.4%") or a floor. */
export const OBJECTIVE_DIRECTIONS = ['at-most', 'at-least'] as const;
export type ObjectiveDirection = (typeof OBJECTIVE_DIRECTIONS)[number];

/**
 * What a ratio is measured over: every contribution period the window touches together, or
 * the period the window ends in ("as of its end").
 */
export const RATIO_MEASURES = ['window', 'window-end'] as const;
export type RatioMeasure = (typeof RATIO_MEASURES)[number];

export type CampaignObjective = {
  objectiveId: string;
  /** A scheme or a scheme group (its members added up); null for debt, across every scheme. */
  scheme: SchemeScope | null;
  metric: CampaignMetric;
  /** Whole units of the metric; basis points for a ratio (140 = 1.40%). */
  target: number;
  /** Ratio objectives only. */
  direction?: ObjectiveDirection;
  /** Ratio objectives only. */
  measuredOver?: RatioMeasure;
};

export type CampaignLaunched = DomainEvent<
  'CampaignLaunched',
  {
    campaignId: string;
    name: string;
    startDate: LocalDate;
    endDate: LocalDate;
    /** What the campaign counts: these units and everything below them. */
    scopeUnitIds: string[];
    objectives: CampaignObjective[];
  }
>;

export type CampaignExtended = DomainEvent<
  'CampaignExtended',
  {
    campaignId: string;
    endDate: LocalDate;
    previousEndDate: LocalDate;
    reason: string;
    extendedOn: LocalDate;
  }
>;

export type CampaignClosedEarly = DomainEvent<
  'CampaignClosedEarly',
  { campaignId: string; closedOn: LocalDate; plannedEndDate: LocalDate; reason: string }
>;

export type CampaignCancelled = DomainEvent<
  'CampaignCancelled',
  { campaignId: string; cancelledOn: LocalDate; reason: string }
>;

/** The campaign reached its end date; recorded by the scheduler the day after. */
export type CampaignEnded = DomainEvent<
  'CampaignEnded',
  { campaignId: string; endedOn: LocalDate }
>;

export type CampaignEvent =
  CampaignLaunched | CampaignExtended | CampaignClosedEarly | CampaignCancelled | CampaignEnded;
