import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiForbiddenResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { GetPublishedFigures, type ReadAnswer } from '#projections';
import { IsOptional } from 'class-validator';
import { Roles } from '../../auth/auth.decorators.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { InvalidRequest } from '../../http-errors/request-validation.js';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { PageQuery, readOptions } from '../../read-models/read-query.dto.js';
import { IsEntityId, IsQueryBoolean } from '../../validation/validators.js';
import { AUDIT_READERS } from '../../audit/audit.dto.js';
import { PublishedFiguresAnswer } from '../published-figures.dto.js';
import {
  type PublishedFigureComparison,
  PublishedFigureComparisons,
} from './published-figure-comparison.js';

class PublishedFiguresQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Only the figures of this publication.',
    example: 'HP-2024-10-EARLY',
  })
  @IsOptional()
  @IsEntityId()
  publicationId?: string;

  @ApiPropertyOptional({ description: 'Only the figures about this unit.', example: 'HP' })
  @IsOptional()
  @IsEntityId()
  unitId?: string;

  @ApiPropertyOptional({
    description: "true: only the figures the service's figure now contradicts.",
    example: true,
  })
  @IsOptional()
  @IsQueryBoolean()
  noLongerTrue?: boolean;
}

type PublishedFigures = { figures: PublishedFigureComparison[]; total: number };

@ApiTags('Published figures')
@Controller('published-figures')
export class ListPublishedFiguresController {
  constructor(
    private readonly queries: QueryBus,
    private readonly comparisons: PublishedFigureComparisons,
  ) {}

  @Get()
  @Roles(...AUDIT_READERS)
  @ApiRead(
    'Published figures against the service: as known when published and now, the ' +
      'difference, and the later events that explain it; noLongerTrue=true lists what later ' +
      'data contradicts.',
    PublishedFiguresAnswer,
  )
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only auditors and admins.' })
  async list(@Query() query: PublishedFiguresQuery): Promise<ReadAnswer<PublishedFigures>> {
    if (query.knownAt !== undefined) {
      throw new InvalidRequest([
        {
          field: 'knownAt',
          reason: 'is not taken here: each figure is already read as known at its publication',
        },
      ]);
    }
    const rows = await this.queries.execute(
      new GetPublishedFigures(
        { publicationId: query.publicationId, unitId: query.unitId },
        readOptions(query),
      ),
    );
    const compared = await this.comparisons.compareAll(rows.data);
    const matching =
      query.noLongerTrue === undefined
        ? compared
        : compared.filter(({ noLongerTrue }) => noLongerTrue === query.noLongerTrue);
    return {
      ...rows,
      data: {
        figures: matching.slice(query.offset, query.offset + query.limit),
        total: matching.length,
      },
    };
  }
}
