import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsNotBlank } from '../../validation/validators.js';

export class MilestoneCriterionRequest {
  @ApiPropertyOptional({
    description: 'The levels of the units that must meet the requirement; any level when absent.',
    example: ['commune', 'ward', 'town'],
  })
  @IsOptional()
  @Matches(/^[a-z][a-z-]{0,39}$/, {
    each: true,
    message: '$property must hold lower-case labels such as commune or ward',
  })
  @ArrayUnique()
  @ArrayMaxSize(20)
  @IsArray()
  levels?: string[];

  @ApiPropertyOptional({
    description: 'Only units with at least one collection point must meet it.',
    example: true,
  })
  @IsOptional()
  @IsBoolean()
  withCollectionPoint?: boolean;
}

export class SetMilestoneRequest extends CommandRequest {
  @ApiProperty({
    description: 'A code chosen by the office; the stream is milestone-<id>.',
    example: 'HP-3P-2024',
  })
  @IsEntityId()
  milestoneId!: string;

  @ApiProperty({ description: 'A short name.', example: 'Three-party coordination program' })
  @MaxLength(200)
  @IsNotBlank()
  @IsString()
  name!: string;

  @ApiProperty({
    description: 'What each unit must do.',
    example:
      "The collection organization, the district insurance office and the commune People's " +
      'Committee sign the coordination program',
  })
  @MaxLength(2000)
  @IsNotBlank()
  @IsString()
  requirement!: string;

  @ApiProperty({ description: 'Fulfilments after it are recorded as late.', example: '2024-10-20' })
  @IsLocalDate()
  deadline!: string;

  @ApiProperty({ description: 'The units concerned lie under this one.', example: 'HP' })
  @IsEntityId()
  scopeUnitId!: string;

  @ApiProperty({
    type: MilestoneCriterionRequest,
    description:
      'Which units under the scope must meet it: by level, by collection point, or both.',
    example: { levels: ['commune', 'ward', 'town'], withCollectionPoint: true },
  })
  @ValidateNested()
  @Type(() => MilestoneCriterionRequest)
  criterion!: MilestoneCriterionRequest;

  @ApiPropertyOptional({
    description: 'When the milestone was set; defaults to today in Vietnam.',
    example: '2024-09-15',
  })
  @IsOptional()
  @IsLocalDate()
  setOn?: string;
}
