import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { localDateAt } from '#domain';
import { ATTAINMENT_SOURCES, GetAttainment } from '#projections';
import { IsOptional } from 'class-validator';
import { SchemeSelection, selectedSchemes } from '../../attainment/attainment.dto.js';
import { IsLocalDate } from '../../validation/validators.js';
import { feedController } from '../feed-controller.js';
import { FeedQuery } from '../feed-query.dto.js';

class UnitFeedQuery extends IntersectionType(FeedQuery, SchemeSelection) {
  @ApiPropertyOptional({
    description: 'The business date of the figures; today in Vietnam when absent.',
    example: '2024-09-30',
  })
  @IsOptional()
  @IsLocalDate()
  date?: string;
}

export const UnitFeedController = feedController({
  name: 'units',
  path: 'feeds/units/:unitId',
  param: 'unitId',
  query: UnitFeedQuery,
  type: 'attainment',
  summary:
    "Server-Sent Events: the unit's attainment, pushed after every projection batch that " +
    'commits; each message id is its log position, and Last-Event-ID resumes without gap or duplicate.',
  sources: ATTAINMENT_SOURCES,
  view: (unitId, query) => ['attainment', unitId, query.date, ...selectedSchemes(query)],
  // Without a date, each snapshot reads today's figures: a feed left open past midnight moves on.
  read: ({ queries, clock }, unitId, query) =>
    queries.execute(
      new GetAttainment(unitId!, query.date ?? localDateAt(clock.now()), selectedSchemes(query)),
    ),
});
