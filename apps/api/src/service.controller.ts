import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { serviceVersion } from './service-version.js';
import { Public } from './auth/auth.decorators.js';

export class ServiceDescription {
  @ApiProperty({ example: 'campaign-ledger' })
  service!: string;

  @ApiProperty({ example: '0.1.0' })
  version!: string;
}

@ApiTags('service')
@Public()
@Controller()
export class ServiceController {
  @Get()
  @ApiOperation({ summary: 'Name and version of the service.' })
  @ApiOkResponse({
    type: ServiceDescription,
    description: 'Which service answers, and its version',
  })
  describe(): ServiceDescription {
    return { service: 'campaign-ledger', version: serviceVersion };
  }
}
