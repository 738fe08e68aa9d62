import { ORGANIZATION_KINDS, type OrganizationKind } from '#domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { CommandRequest } from '../../ledger/command-request.js';
import { IsEntityId, IsLocalDate, IsNotBlank } from '../../validation/validators.js';

export class RegisterOrganizationRequest extends CommandRequest {
  @ApiProperty({
    description: 'The organization code, chosen by the office.',
    example: 'VNPOST-HP',
  })
  @IsEntityId()
  organizationId!: string;

  @ApiProperty({ example: 'Hai Phong Post Office' })
  @MaxLength(200)
  @IsNotBlank()
  @IsString()
  name!: string;

  @ApiProperty({ enum: ORGANIZATION_KINDS, example: 'post-office' })
  @IsIn(ORGANIZATION_KINDS)
  kind!: OrganizationKind;

  @ApiProperty({
    description: 'The province or city it serves: a registered unit that was not merged away.',
    example: 'HP',
  })
  @IsEntityId()
  unitId!: string;

  @ApiProperty({ description: 'From when it collects (business date).', example: '2024-01-02' })
  @IsLocalDate()
  registeredOn!: string;
}
