import { type LocalDate } from '../shared/local-date.js';
import { RuleViolation, StateConflict } from '../shared/errors.js';

export type CampaignOutcome = 'ended' | 'closed' | 'cancelled';

const described: Record<CampaignOutcome, string> = {
  ended: 'has ended',
  closed: 'was closed early',
  cancelled: 'was cancelled',
};

/** The campaign is over: it ended, was closed early or was cancelled. */
export class CampaignNotActive extends StateConflict {
  constructor(
    campaignId: string,
    readonly outcome: CampaignOutcome,
    field?: string,
  ) {
    super(`Campaign '${campaignId}' ${described[outcome]} and takes no further changes`, field);
  }
}

/** An end decided before the campaign's end date has passed (it was extended, say). */
export class CampaignNotOver extends RuleViolation {
  constructor(campaignId: string, endDate: LocalDate) {
    super(`Campaign '${campaignId}' runs until ${endDate}`);
  }
}
