import { campaignDecider, campaignStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { ExtendCampaignRequest } from './extend-campaign.request.dto.js';

export const extendCampaign = useCase({
  name: 'ExtendCampaign',
  request: ExtendCampaignRequest,
  roles: WRITERS,
  async execute(transaction, { campaignId, endDate, reason, extendedOn }) {
    const on = extendedOn ?? transaction.today();
    await transaction.decide(
      campaignDecider,
      campaignStream(campaignId),
      { type: 'ExtendCampaign', campaignId, endDate, reason, extendedOn: on },
      on,
    );
  },
});
