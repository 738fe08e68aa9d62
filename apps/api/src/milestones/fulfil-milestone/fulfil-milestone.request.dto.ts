import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsString,
  MaxLength,
} from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsNotBlank } from '../../validation/validators.js';

export class FulfilMilestoneRequest extends CommandRequest {
  @ApiProperty({ description: 'The milestone, as named when set.', example: 'HP-3P-2024' })
  @IsEntityId()
  milestoneId!: string;

  @ApiProperty({ description: 'A unit under the milestone’s scope.', example: 'HP-TN-AL' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({
    description: 'After the deadline, the fulfilment is recorded as late.',
    example: '2024-10-02',
  })
  @IsLocalDate()
  fulfilledOn!: string;

  @ApiProperty({
    description: 'Who signed.',
    example: [
      'Thuy Nguyen post office',
      'Thuy Nguyen social insurance',
      "An Lu People's Committee",
    ],
  })
  @MaxLength(300, { each: true })
  @IsNotBlank({ each: true })
  @IsString({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(20)
  @ArrayMinSize(1)
  @IsArray()
  parties!: string[];

  @ApiProperty({ description: 'The signed document.', example: 'CT 12/2024/CT-PH' })
  @MaxLength(200)
  @IsNotBlank()
  @IsString()
  documentRef!: string;
}
