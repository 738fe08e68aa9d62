import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsEntityId, IsWholeNumber, IsYear, IsNotBlank } from '../../validation/validators.js';

/** Unlike other commands, the source is required: a coverage rate is only as good as its denominator. */
export class SetDenominatorsRequest {
  @ApiProperty({ example: 'HP' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({ example: 2024 })
  @IsYear()
  year!: number;

  @ApiPropertyOptional({
    description: 'Denominator of health-insurance coverage.',
    example: 2_100_000,
  })
  @IsOptional()
  @IsWholeNumber({ positive: true })
  population?: number;

  @ApiPropertyOptional({
    description: 'Denominator of social-insurance coverage.',
    example: 1_300_000,
  })
  @IsOptional()
  @IsWholeNumber({ positive: true })
  workingAgePopulation?: number;

  @ApiPropertyOptional({
    description: 'Denominator of unemployment-insurance coverage.',
    example: 1_150_000,
  })
  @IsOptional()
  @IsWholeNumber({ positive: true })
  labourForce?: number;

  @ApiProperty({
    description: 'Where the figures come from (statistics office, census...).',
    example: 'GSO 2024',
  })
  @MaxLength(500)
  @IsNotBlank()
  @IsString()
  source!: string;
}
