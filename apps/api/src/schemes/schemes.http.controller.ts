import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  SCHEMES,
  SCHEME_DESCRIPTIONS,
  SCHEME_GROUPS,
  SCHEME_GROUP_DESCRIPTIONS,
  type Scheme,
  type SchemeDescription,
  type SchemeGroup,
  type SchemeGroupDescription,
} from '#domain';

class SchemeResponse implements SchemeDescription {
  @ApiProperty({ enum: SCHEMES, description: 'The code every command and query uses.' })
  scheme!: Scheme;

  @ApiProperty({ example: 'Voluntary social insurance' })
  name!: string;

  @ApiProperty({
    enum: ['employer', 'individual', 'both'],
    description: 'How people join: through their employer, or individually through agents.',
  })
  channel!: SchemeDescription['channel'];

  @ApiProperty({
    enum: ['population', 'working-age-population', 'labour-force'],
    description: 'The denominator its coverage is measured against.',
  })
  coverageBase!: SchemeDescription['coverageBase'];
}

class SchemeGroupResponse implements SchemeGroupDescription {
  @ApiProperty({
    enum: SCHEME_GROUPS,
    description: 'Usable wherever a scheme is: reads, plans, objectives, feeds.',
  })
  group!: SchemeGroup;

  @ApiProperty({ example: 'Social insurance (compulsory and voluntary)' })
  name!: string;

  @ApiProperty({ enum: SCHEMES, isArray: true, description: 'The schemes it adds up.' })
  members!: Scheme[];

  @ApiProperty({
    enum: ['population', 'working-age-population', 'labour-force'],
    nullable: true,
    description: 'The denominator its coverage is measured against; null when none is meaningful.',
  })
  coverageBase!: SchemeGroupDescription['coverageBase'];

  @ApiProperty({ description: 'Why the denominator is what it is.' })
  basis!: string;
}

@ApiTags('Schemes')
@ApiBearerAuth()
@Controller('schemes')
export class SchemesController {
  @Get()
  @ApiOperation({
    summary: 'The insurance schemes, how people join them, and their coverage base.',
  })
  @ApiOkResponse({ type: [SchemeResponse] })
  list(): readonly SchemeDescription[] {
    return SCHEME_DESCRIPTIONS;
  }

  @Get('groups')
  @ApiOperation({
    summary:
      'The scheme groups (e.g. social insurance = compulsory + voluntary): their members and ' +
      'the basis of their denominator. A group reads as the sum of its members; its plan is its own.',
  })
  @ApiOkResponse({ type: [SchemeGroupResponse] })
  groups(): readonly SchemeGroupDescription[] {
    return SCHEME_GROUP_DESCRIPTIONS;
  }
}
