import { localDateAt } from '#domain';
import { GetMilestoneCompliance, MILESTONE_COMPLIANCE_SOURCES } from '#projections';
import { feedController } from '../feed-controller.js';
import { AsOfFeedQuery } from '../feed-query.dto.js';

export const MilestoneFeedController = feedController({
  name: 'milestones',
  path: 'feeds/milestones/:milestoneId',
  param: 'milestoneId',
  query: AsOfFeedQuery,
  type: 'milestone-compliance',
  summary:
    "Server-Sent Events: the milestone's compliance (as GET /milestones/:id/compliance), pushed after " +
    'every projection batch that commits; ids are log positions, Last-Event-ID resumes.',
  sources: MILESTONE_COMPLIANCE_SOURCES,
  view: (milestoneId, query) => ['milestone-compliance', milestoneId, query.asOf],
  read: ({ queries, clock }, milestoneId, query) =>
    queries.execute(
      new GetMilestoneCompliance(milestoneId!, query.asOf ?? localDateAt(clock.now())),
    ),
});
