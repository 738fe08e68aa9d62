import { campaignDecider, campaignStream } from '#domain';
import { WRITERS } from '../../auth/actor.js';
import { useCase } from '../../ledger/use-case.js';
import { CloseCampaignEarlyRequest } from './close-campaign-early.request.dto.js';

export const closeCampaignEarly = useCase({
  name: 'CloseCampaignEarly',
  request: CloseCampaignEarlyRequest,
  roles: WRITERS,
  async execute(transaction, { campaignId, closedOn, reason }) {
    await transaction.decide(
      campaignDecider,
      campaignStream(campaignId),
      { type: 'CloseCampaignEarly', campaignId, closedOn, reason },
      closedOn,
    );
  },
});
