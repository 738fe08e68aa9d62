import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { localDateAt } from '#domain';
import { ListMilestoneUnits } from '#projections';
import { IsOptional } from 'class-validator';
import { Clock } from '../../clock.js';
import { ApiRead } from '../../read-models/api-read.decorator.js';
import { PageQuery, ReadAnswerDto, readOptions } from '../../read-models/read-query.dto.js';
import { EntityIdPipe } from '../../validation/entity-id.pipe.js';
import { IsLocalDate } from '../../validation/validators.js';

class MilestoneUnitsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Outcomes by the end of this day; defaults to today in Asia/Ho_Chi_Minh.',
    example: '2024-10-20',
  })
  @IsOptional()
  @IsLocalDate()
  asOf?: string;
}

class MilestoneUnitDto {
  @ApiProperty({ example: { unitId: 'HP-DH', name: 'Dư Hàng', level: 'ward' } })
  unit!: { unitId: string; name: string; level: string };

  @ApiProperty({ nullable: true, example: { unitId: 'HP-LC', name: 'Lê Chân' } })
  parent!: { unitId: string; name: string } | null;

  @ApiProperty({
    enum: ['on-time', 'late', 'waived', 'pending'],
    description: 'Its outcome by the end of asOf: fulfilled on time or late, waived, or none yet.',
  })
  status!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2024-10-12',
    description: 'When it was fulfilled or waived; null while pending.',
  })
  on!: string | null;
}

class MilestoneUnitsDto {
  @ApiProperty({ type: [MilestoneUnitDto], description: 'The required units, a page of them.' })
  units!: MilestoneUnitDto[];

  @ApiProperty({ example: 218 })
  total!: number;
}

class MilestoneUnitsAnswer extends ReadAnswerDto {
  @ApiProperty({ type: MilestoneUnitsDto, description: 'The units the milestone requires.' })
  data!: MilestoneUnitsDto;
}

@ApiTags('Milestones')
@Controller('milestones/:milestoneId/units')
export class ListMilestoneUnitsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiRead(
    'Every unit the milestone requires as of asOf, with its outcome by then (on time, late, ' +
      'waived, pending) and its date, by parent and name, paged.',
    MilestoneUnitsAnswer,
  )
  list(
    @Param('milestoneId', new EntityIdPipe('milestoneId')) milestoneId: string,
    @Query() query: MilestoneUnitsQuery,
  ) {
    return this.queries.execute(
      new ListMilestoneUnits(
        milestoneId,
        query.asOf ?? localDateAt(this.clock.now()),
        { limit: query.limit, offset: query.offset },
        readOptions(query),
      ),
    );
  }
}
