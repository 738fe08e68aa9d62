import { ApiProperty } from '@nestjs/swagger';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate } from '../../validation/validators.js';

export class MoveUnitRequest extends CommandRequest {
  @ApiProperty({ example: 'HP-AD-TT' })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({ description: 'The new parent unit.', example: 'HP-KT' })
  @IsEntityId()
  parentId!: string;

  @ApiProperty({ example: '2025-07-01' })
  @IsLocalDate()
  effectiveDate!: string;
}
