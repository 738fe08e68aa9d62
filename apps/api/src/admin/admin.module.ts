import { Module } from '@nestjs/common';
import { ProjectionStatusController } from './projection-status/projection-status.http.controller.js';
import { RebuildProjectionController } from './rebuild-projection/rebuild-projection.http.controller.js';
import { Rebuilds } from './rebuilds.js';

@Module({
  controllers: [ProjectionStatusController, RebuildProjectionController],
  providers: [Rebuilds],
})
export class AdminModule {}
