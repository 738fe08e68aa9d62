import { ApiProperty } from '@nestjs/swagger';
import { ListAgentPerformance, PERFORMANCE_SOURCES } from '#projections';
import { IsMonth } from '../../validation/validators.js';
import { feedController } from '../feed-controller.js';
import { FeedQuery } from '../feed-query.dto.js';

class OrganizationFeedQuery extends FeedQuery {
  @ApiProperty({ description: 'The month of the figures.', example: '2025-09' })
  @IsMonth()
  month!: string;
}

export const OrganizationFeedController = feedController({
  name: 'organizations',
  path: 'feeds/organizations/:organizationId',
  param: 'organizationId',
  query: OrganizationFeedQuery,
  type: 'agent-performance',
  summary:
    "Server-Sent Events: the month's performance of the organization's agents (as GET " +
    '/performance/agents?organizationId=), pushed after every batch; Last-Event-ID resumes.',
  sources: PERFORMANCE_SOURCES,
  view: (organizationId, query) => ['agent-performance', organizationId, query.month],
  read: ({ queries }, organizationId, query) =>
    queries.execute(
      new ListAgentPerformance(query.month, { organizationId }, { limit: 200, offset: 0 }),
    ),
});
