import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiForbiddenResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { GetPublishedFigures, type ReadAnswer } from '#projections';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { Roles } from '../../auth/auth.decorators.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { InvalidRequest } from '../../http-errors/request-validation.js';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { PageQuery, ReadAnswerDto, readOptions } from '../../read-models/read-query.dto.js';
import { IsEntityId } from '../../validation/validators.js';
import { AUDIT_READERS, AuditEntryDto } from '../../audit/audit.dto.js';
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
  @IsBoolean()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  noLongerTrue?: boolean;
}

class PublishedFigureDto {
  @ApiProperty({ example: 'HP-2024-10-EARLY' }) publicationId!: string;
  @ApiProperty({ example: 'BHXH Hai Phong, report of early October 2024' }) publishedIn!: string;
  @ApiProperty({ example: '2024-10-04T03:00:00.000Z' }) publishedAt!: string;
  @ApiProperty({ example: 'BHXH Hai Phong' }) publishedBy!: string;
  @ApiProperty({ example: 'HP' }) unitId!: string;
  @ApiProperty({ example: 'voluntary-social-insurance' }) scheme!: string;
  @ApiProperty({ example: 'participants' }) measure!: string;
  @ApiProperty({ description: 'The business date of the figure.', example: '2024-09-30' })
  date!: string;
  @ApiProperty({ description: 'The value as published.', example: 36_520 }) published!: number;

  @ApiProperty({
    description:
      "The service's value when it was published: `known-at` from the events recorded by then, " +
      '`known-on` (the log starts later) from the facts dated by then without later corrections.',
    example: { value: 36_520, basis: 'known-on', position: 8767 },
  })
  atPublication!: object;

  @ApiProperty({ description: "The service's value now.", example: 36_293, nullable: true })
  now!: number | null;

  @ApiProperty({ description: 'now − published.', example: -227, nullable: true })
  difference!: number | null;

  @ApiProperty({ description: "The service's value now is not the one published.", example: true })
  noLongerTrue!: boolean;

  @ApiProperty({ description: "The service's value changed since publication.", example: true })
  changedSincePublication!: boolean;

  @ApiProperty({
    type: [AuditEntryDto],
    description:
      'The events the figure counts that came after the publication (recorded after it, or ' +
      'dated after it when the log starts later), with who recorded each: the first ' +
      'twenty; /audit/lineage/attainment pages through all.',
  })
  corrections!: AuditEntryDto[];

  @ApiProperty({ description: 'More such events than shown.', example: false })
  moreCorrections!: boolean;
}

class PublishedFiguresDto {
  @ApiProperty({ type: [PublishedFigureDto], description: 'One page, in publication order.' })
  figures!: PublishedFigureDto[];

  @ApiProperty({ description: 'How many figures match in all.', example: 12 })
  total!: number;
}

class PublishedFiguresAnswer extends ReadAnswerDto {
  @ApiProperty({ type: PublishedFiguresDto, description: 'The figures.' })
  data!: PublishedFiguresDto;
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
