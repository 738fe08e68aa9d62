import { type DomainEvent } from '../shared/decider.js';
import { type LocalDate } from '../shared/local-date.js';
import { type SchemeScope } from '../schemes/scheme-groups.js';

/** People enrolled, contributions collected (VND), or overdue debt recovered (VND). */
export const CAMPAIGN_METRICS = ['participants', 'contributions', 'debt-recovered'] as const;
export type CampaignMetric = (typeof CAMPAIGN_METRICS)[number];

export type CampaignObjective = {
  objectiveId: string;
  /** A scheme or a scheme group (its members added up); null for debt recovered. */
  scheme: SchemeScope | null;
  metric: CampaignMetric;
  target: number;
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
