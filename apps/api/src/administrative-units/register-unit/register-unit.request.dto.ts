import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsNotBlank } from '../../validation/validators.js';

export class RegisterUnitRequest extends CommandRequest {
  @ApiProperty({ description: 'The unit code, chosen by the office.', example: 'HP' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({ example: 'Hai Phong' })
  @MaxLength(200)
  @IsNotBlank()
  @IsString()
  name!: string;

  @ApiProperty({
    description: 'A free label for the level; depth varies and levels are never fixed.',
    example: 'city',
  })
  @Matches(/^[a-z][a-z-]{0,39}$/, {
    message: '$property must be a lower-case label such as commune or ward',
  })
  level!: string;

  @ApiPropertyOptional({
    description: 'The parent unit; none for a province or city.',
    example: 'VN',
  })
  @IsOptional()
  @IsEntityId()
  parentId?: string;

  @ApiProperty({ description: 'From when the unit exists (business date).', example: '2024-01-01' })
  @IsLocalDate()
  effectiveDate!: string;
}
