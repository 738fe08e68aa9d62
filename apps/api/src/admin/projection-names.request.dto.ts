import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsOptional, IsString } from 'class-validator';

/** Which projections a rebuild or a verification covers. */
export class ProjectionNamesRequest {
  @ApiPropertyOptional({
    example: ['participation', 'debt'],
    description: 'Projection names (see GET /admin/projections); all of them when omitted.',
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  projections?: string[];
}
