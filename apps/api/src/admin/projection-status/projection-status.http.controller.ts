import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectionRunner } from '#projections';
import { Roles } from '../../auth/auth.decorators.js';
import { ProjectionsAnswer } from '../admin.dto.js';
import { Rebuilds } from '../rebuilds.js';

@ApiTags('Administration')
@ApiBearerAuth()
@Controller('admin/projections')
export class ProjectionStatusController {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly rebuilds: Rebuilds,
  ) {}

  @Get()
  @Roles('admin', 'auditor')
  @ApiOperation({
    summary: "Each projection's state, checkpoint and lag, and the rebuilds started here.",
  })
  @ApiOkResponse({ type: ProjectionsAnswer })
  async status(): Promise<ProjectionsAnswer> {
    return { projections: await this.runner.status(), rebuilds: await this.rebuilds.all() };
  }
}
