import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsOptional, IsString } from 'class-validator';

export class VerifyReadModelsRequest {
  @ApiPropertyOptional({
    example: ['participation', 'debt'],
    description: 'The projections to verify (see GET /admin/projections); all when omitted.',
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  projections?: string[];
}
