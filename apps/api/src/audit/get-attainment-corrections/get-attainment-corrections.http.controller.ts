import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiForbiddenResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  type AttainmentFigures,
  type AuditPage,
  GetAttainment,
  GetAttainmentLineage,
  type ReadAnswer,
} from '#projections';
import { Roles } from '../../auth/auth.decorators.js';
import { ErrorResponseDto } from '../../http-errors/error-response.dto.js';
import { InvalidRequest } from '../../http-errors/request-validation.js';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { ReadAnswerDto, readOptions } from '../../read-models/read-query.dto.js';
import { SchemeFiguresDto } from '../../attainment/attainment.dto.js';
import { AUDIT_READERS, AttainmentFigureQuery, AuditPageDto } from '../audit.dto.js';

class FigureDifferenceDto {
  @ApiProperty({ description: 'Participants now − then.', example: -227 })
  participants!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Target in force now − then.',
    example: 0,
  })
  target!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Attainment now − then, in percentage points.',
    example: -0.45,
  })
  attainmentPoints!: number | null;
}

class AttainmentCorrectionsDto {
  @ApiProperty({ type: SchemeFiguresDto, description: 'As known at knownAt.' })
  then!: SchemeFiguresDto;

  @ApiProperty({ type: SchemeFiguresDto, description: 'As known now.' })
  now!: SchemeFiguresDto;

  @ApiProperty({ type: FigureDifferenceDto, description: 'Now − then.' })
  difference!: FigureDifferenceDto;

  @ApiProperty({
    type: AuditPageDto,
    description:
      'The events recorded after knownAt that the figure is computed from: the corrections, late reports and revisions that made the difference.',
  })
  changes!: AuditPageDto;
}

class AttainmentCorrectionsAnswer extends ReadAnswerDto {
  @ApiProperty({ type: AttainmentCorrectionsDto, description: 'Then, now, and what changed.' })
  data!: AttainmentCorrectionsDto;
}

type Corrections = {
  then: AttainmentFigures;
  now: AttainmentFigures;
  difference: { participants: number; target: number | null; attainmentPoints: number | null };
  changes: AuditPage;
};

@ApiTags('Audit')
@Controller('audit/corrections/attainment')
export class GetAttainmentCorrectionsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles(...AUDIT_READERS)
  @ApiRead(
    'A figure as known at a time and as known now, the difference, and the events recorded ' +
      'since that made it (a page at a time). knownAt is required.',
    AttainmentCorrectionsAnswer,
  )
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only auditors and admins.' })
  async corrections(@Query() query: AttainmentFigureQuery): Promise<ReadAnswer<Corrections>> {
    if (!query.knownAt) {
      throw new InvalidRequest([
        { field: 'knownAt', reason: 'is required: the time to compare with' },
      ]);
    }
    const then = await this.queries.execute(
      new GetAttainment(query.unitId, query.date, [query.scheme], readOptions(query)),
    );
    const now = await this.queries.execute(
      new GetAttainment(query.unitId, query.date, [query.scheme]),
    );
    const changes = await this.queries.execute(
      new GetAttainmentLineage(
        query.unitId,
        query.scheme,
        query.date,
        { after: query.after, limit: query.limit },
        { recordedAfter: then.position },
      ),
    );
    const [before] = then.data.schemes;
    const [after] = now.data.schemes;
    return {
      data: {
        then: before,
        now: after,
        difference: {
          participants: after.participants - before.participants,
          target: after.plan && before.plan ? after.plan.target - before.plan.target : null,
          attainmentPoints:
            after.attainment && before.attainment
              ? Math.round((after.attainment.percent - before.attainment.percent) * 100) / 100
              : null,
        },
        changes: changes.data,
      },
      position: now.position,
      head: now.head,
      lag: now.lag,
      knownAt: then.knownAt,
    };
  }
}
