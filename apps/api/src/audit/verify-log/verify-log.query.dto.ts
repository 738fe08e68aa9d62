import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Matches, Min, ValidateIf } from 'class-validator';

/** A head kept from an earlier verification: both fields, or neither. */
export class VerifyLogQuery {
  @ApiPropertyOptional({
    example: 8767,
    description: 'A position kept from an earlier verification (with hash).',
  })
  @ValidateIf((query: VerifyLogQuery) => query.position !== undefined || query.hash !== undefined)
  @Type(() => Number)
  @IsInt({ message: 'position must be a whole number, given with hash' })
  @Min(1)
  position?: number;

  @ApiPropertyOptional({
    description: 'The hash kept with that position: the log must still hold it there.',
  })
  @ValidateIf((query: VerifyLogQuery) => query.position !== undefined || query.hash !== undefined)
  @Matches(/^[0-9a-f]{64}$/, {
    message: 'hash must be 64 lower-case hex digits, given with position',
  })
  hash?: string;
}
