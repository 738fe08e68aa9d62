import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Fields every command request may carry besides its own. */
export class CommandRequest {
  @ApiPropertyOptional({
    description:
      "Where the fact comes from: a report's URL, a decision number. Kept with its events.",
    example:
      'https://vtcnews.vn/bhxh-hai-phong-dam-bao-100-cac-xa-phuong-co-diem-thu-phi-bhxh-bhyt-tu-nguyen-ar903860.html',
    maxLength: 2000,
  })
  @IsOptional()
  @MaxLength(2000)
  @IsString()
  source?: string;
}
