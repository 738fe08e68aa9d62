import { Module } from '@nestjs/common';
import { ProjectionStatusController } from './projection-status/projection-status.http.controller.js';
import { RebuildProjectionController } from './rebuild-projection/rebuild-projection.http.controller.js';
import { RebuildProjectionsController } from './rebuild-projections/rebuild-projections.http.controller.js';
import { RestoreLogController } from './restore-log/restore-log.http.controller.js';
import { Rebuilds } from './rebuilds.js';

@Module({
  controllers: [
    ProjectionStatusController,
    RebuildProjectionController,
    RebuildProjectionsController,
    RestoreLogController,
  ],
  providers: [Rebuilds],
})
export class AdminModule {}
