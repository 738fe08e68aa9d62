import { ApiProperty } from '@nestjs/swagger';

/** A share kept as the integers it comes from. */
export class RatioDto {
  @ApiProperty({ description: 'The part, a whole number.', example: 1_100_000_000_000 })
  numerator!: number;

  @ApiProperty({ description: 'The whole, a whole number.', example: 55_000_000_000_000 })
  denominator!: number;

  @ApiProperty({
    description: 'numerator / denominator in percent, rounded to two decimals for display only.',
    example: 2,
  })
  percent!: number;
}
