import { type DynamicModule, Module } from '@nestjs/common';
import { type Environment } from '../../api/src/config/environment.js';
import { DatabaseModule } from '../../api/src/database/database.module.js';
import { EventStoreModule } from '../../api/src/event-store/event-store.module.js';
import { projections, ProjectionsModule } from '#projections';

export type ProjectorOptions = { environment: Environment; databaseUrl: string };

/** The worker that runs the projections, on the database the API writes to. */
@Module({})
export class ProjectorModule {
  static forRoot({ environment, databaseUrl }: ProjectorOptions): DynamicModule {
    const database = {
      url: databaseUrl,
      poolSize: environment.DATABASE_POOL_SIZE,
      applicationName: 'campaign-ledger-projector',
    };
    return {
      module: ProjectorModule,
      imports: [
        DatabaseModule.forRoot(database),
        EventStoreModule.forRoot({
          ...database,
          pollIntervalMs: environment.EVENT_POLL_INTERVAL_MS,
        }),
        ProjectionsModule.forRoot({ projections, run: true }),
      ],
    };
  }
}
