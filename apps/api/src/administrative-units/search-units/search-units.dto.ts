import { ApiProperty } from '@nestjs/swagger';
import { ReadAnswerDto } from '../../read-models/read-query.dto.js';

class UnitCrumbDto {
  @ApiProperty({ example: 'HP' })
  unitId!: string;

  @ApiProperty({ example: 'Hải Phòng' })
  name!: string;
}

class FoundUnitDto {
  @ApiProperty({ example: 'HP-LC' })
  unitId!: string;

  @ApiProperty({ example: 'Lê Chân' })
  name!: string;

  @ApiProperty({ example: 'district' })
  level!: string;

  @ApiProperty({
    type: [UnitCrumbDto],
    description: 'The units above it, from the top of the hierarchy down to its parent.',
  })
  path!: UnitCrumbDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2024-09-30',
    description: 'The latest day with a participation figure for the unit or a unit below it.',
  })
  latestDataOn!: string | null;
}

class UnitSearchDto {
  @ApiProperty({ type: [FoundUnitDto], description: 'The matching units, a page of them.' })
  units!: FoundUnitDto[];

  @ApiProperty({ description: 'How many units match, over every page.', example: 1 })
  total!: number;
}

export class UnitSearchAnswer extends ReadAnswerDto {
  @ApiProperty({ type: UnitSearchDto, description: 'The units found.' })
  data!: UnitSearchDto;
}
