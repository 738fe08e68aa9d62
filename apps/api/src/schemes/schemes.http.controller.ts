import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SCHEMES, SCHEME_DESCRIPTIONS, type Scheme, type SchemeDescription } from '#domain';

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
}
