import { ApiProperty } from '@nestjs/swagger';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate } from '../../validation/validators.js';

export class OpenCollectionPointRequest extends CommandRequest {
  @ApiProperty({ description: 'The point code, chosen by the office.', example: 'P-LC-1' })
  @IsEntityId()
  pointId!: string;

  @ApiProperty({ description: 'The registered organization that runs it.', example: 'VNPOST-HP' })
  @IsEntityId()
  organizationId!: string;

  @ApiProperty({
    description: 'The commune, ward or town where it is: an active registered unit.',
    example: 'HP-LC-1',
  })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({ example: '2024-03-01' })
  @IsLocalDate()
  openedOn!: string;
}
