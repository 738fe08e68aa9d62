import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SCHEME_SCOPES, type SchemeScope, localDateAt } from '#domain';
import { CAMPAIGN_PROGRESS_SOURCES, GetCampaignProgress } from '#projections';
import { feedController } from '../feed-controller.js';
import { AsOfFeedQuery } from '../feed-query.dto.js';

class CampaignFeedQuery extends AsOfFeedQuery {
  @ApiPropertyOptional({
    enum: SCHEME_SCOPES,
    description:
      "Rank the leaderboards by this scheme (or the members of this group) alone, as GET /campaigns/:id/progress does; by the campaign's schemes together when absent.",
  })
  @IsOptional()
  @IsIn(SCHEME_SCOPES)
  scheme?: SchemeScope;
}

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
