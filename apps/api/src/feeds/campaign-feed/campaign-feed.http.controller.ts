import { IntersectionType, PickType } from '@nestjs/swagger';
import { localDateAt } from '#domain';
import { CAMPAIGN_PROGRESS_SOURCES, GetCampaignProgress } from '#projections';
import { CampaignProgressQuery } from '../../campaign-progress/get-campaign-progress/get-campaign-progress.http.controller.js';
import { feedController } from '../feed-controller.js';
import { AsOfFeedQuery } from '../feed-query.dto.js';

class CampaignFeedQuery extends IntersectionType(
  AsOfFeedQuery,
  PickType(CampaignProgressQuery, ['scheme']),
) {}

export const CampaignFeedController = feedController({
  name: 'campaigns',
  path: 'feeds/campaigns/:campaignId',
  param: 'campaignId',
  query: CampaignFeedQuery,
  type: 'campaign-progress',
  summary:
    "Server-Sent Events: the campaign's progress (as GET /campaigns/:id/progress), pushed after " +
    'every projection batch that commits; ids are log positions, Last-Event-ID resumes.',
  sources: CAMPAIGN_PROGRESS_SOURCES,
  view: (campaignId, query) => ['campaign-progress', campaignId, query.asOf, query.scheme],
  read: ({ queries, clock }, campaignId, query) =>
    queries.execute(
      new GetCampaignProgress(campaignId!, query.asOf ?? localDateAt(clock.now()), {
        scheme: query.scheme,
        size: 10,
      }),
    ),
});
