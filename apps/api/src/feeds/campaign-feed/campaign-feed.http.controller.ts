import { localDateAt } from '#domain';
import { CAMPAIGN_PROGRESS_SOURCES, GetCampaignProgress } from '#projections';
import { feedController } from '../feed-controller.js';
import { AsOfFeedQuery } from '../feed-query.dto.js';

export const CampaignFeedController = feedController({
  name: 'campaigns',
  path: 'feeds/campaigns/:campaignId',
  param: 'campaignId',
  query: AsOfFeedQuery,
  type: 'campaign-progress',
  summary:
    "Server-Sent Events: the campaign's progress (as GET /campaigns/:id/progress), pushed after " +
    'every projection batch that commits; ids are log positions, Last-Event-ID resumes.',
  sources: CAMPAIGN_PROGRESS_SOURCES,
  view: (campaignId, query) => ['campaign-progress', campaignId, query.asOf],
  read: ({ queries, clock }, campaignId, query) =>
    queries.execute(new GetCampaignProgress(campaignId!, query.asOf ?? localDateAt(clock.now()))),
});
