import { type DynamicModule, Module } from '@nestjs/common';
import { type Environment } from '../../api/src/config/environment.js';
import { storageModules } from '../../api/src/storage-modules.js';
import { projections } from '#projections';
import { ProjectorMetrics } from './projector-metrics.js';

export type ProjectorOptions = { environment: Environment; databaseUrl: string };

/** The worker that runs the projections, on the database the API writes to. */
@Module({})
export class ProjectorModule {
  static forRoot({ environment, databaseUrl }: ProjectorOptions): DynamicModule {
    return {
      module: ProjectorModule,
      imports: storageModules({
        environment,
        databaseUrl,
        applicationName: 'campaign-ledger-projector',
        projections,
        runProjections: true,
      }),
      providers: [ProjectorMetrics],
    };
  }
}
