import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { type Environment } from './config/environment.js';
import { DatabaseModule } from './database/database.module.js';
import { EventStoreModule } from './event-store/event-store.module.js';
import { HealthModule } from './health/health.module.js';
import { ServiceController } from './service.controller.js';
import { type Projection, projections, ProjectionsModule } from '#projections';

export type AppOptions = {
  /** Validated settings: see `validateEnvironment`. */
  environment: Environment;
  /** DATABASE_URL, or the embedded server's URL. */
  databaseUrl: string;
  /** The read models to keep; tests may pass their own. */
  projections?: Projection[];
};

@Module({})
export class AppModule {
  static forRoot({
    environment,
    databaseUrl,
    projections: views = projections,
  }: AppOptions): DynamicModule {
    const database = {
      url: databaseUrl,
      poolSize: environment.DATABASE_POOL_SIZE,
      applicationName: 'campaign-ledger-api',
    };
    return {
      module: AppModule,
      imports: [
        // The settings are validated before the module is built (main.ts needs them to open the
        // database), so ConfigService serves exactly these values and never re-reads process.env.
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          ignoreEnvVars: true,
          skipProcessEnv: true,
          load: [() => ({ ...environment })],
        }),
        DatabaseModule.forRoot(database),
        EventStoreModule.forRoot({
          ...database,
          pollIntervalMs: environment.EVENT_POLL_INTERVAL_MS,
        }),
        ProjectionsModule.forRoot({ projections: views, run: environment.RUN_PROJECTIONS }),
        HealthModule,
      ],
      controllers: [ServiceController],
    };
  }
}
