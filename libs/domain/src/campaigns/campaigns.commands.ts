import { type LocalDate } from '../shared/local-date.js';
import { type CampaignObjective } from './campaigns.events.js';

export type LaunchCampaign = {
  type: 'LaunchCampaign';
  campaignId: string;
  name: string;
  startDate: LocalDate;
  endDate: LocalDate;
  scopeUnitIds: string[];
  objectives: CampaignObjective[];
};

export type ExtendCampaign = {
  type: 'ExtendCampaign';
  campaignId: string;
  endDate: LocalDate;
  reason: string;
  extendedOn: LocalDate;
};

export type CloseCampaignEarly = {
  type: 'CloseCampaignEarly';
  campaignId: string;
  closedOn: LocalDate;
  reason: string;
};

export type CancelCampaign = {
  type: 'CancelCampaign';
  campaignId: string;
  cancelledOn: LocalDate;
  reason: string;
};

/** Ends a campaign whose end date is over; `today` is the business date it is decided on. */
export type EndCampaign = { type: 'EndCampaign'; campaignId: string; today: LocalDate };

export type CampaignCommand =
  LaunchCampaign | ExtendCampaign | CloseCampaignEarly | CancelCampaign | EndCampaign;
