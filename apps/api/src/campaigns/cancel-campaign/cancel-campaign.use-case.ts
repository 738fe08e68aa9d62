import { campaignDecider, campaignStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { CancelCampaignRequest } from './cancel-campaign.request.dto.js';

export const cancelCampaign = useCase({
  name: 'CancelCampaign',
  request: CancelCampaignRequest,
  roles: WRITERS,
  async execute(transaction, { campaignId, reason, cancelledOn }) {
    const on = cancelledOn ?? transaction.today();
    await transaction.decide(
      campaignDecider,
      campaignStream(campaignId),
      { type: 'CancelCampaign', campaignId, cancelledOn: on, reason },
      on,
    );
  },
});
