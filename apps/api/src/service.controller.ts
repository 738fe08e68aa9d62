import { Controller, Get, Headers, Req, Res } from '@nestjs/common';
import { type Request, type Response } from 'express';
import {
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
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
  @ApiOperation({
    summary:
      'Name and version of the service; a browser (Accept: text/html) is sent to the dashboard.',
  })
  @ApiOkResponse({
    type: ServiceDescription,
    description: 'Which service answers, and its version',
  })
  @ApiFoundResponse({ description: 'A browser (Accept: text/html) is sent to /dashboard/.' })
  describe(
    @Headers('accept') accept: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): ServiceDescription | undefined {
    if (accept?.includes('text/html')) {
      const query = request.originalUrl.indexOf('?');
      response.redirect(302, `/dashboard/${query >= 0 ? request.originalUrl.slice(query) : ''}`);
      return undefined;
    }
    return { service: 'campaign-ledger', version: serviceVersion };
  }
}
