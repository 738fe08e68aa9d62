import { type DynamicModule } from '@nestjs/common';
import { type Projection, ProjectionsModule } from '#projections';
import { type Environment } from './config/environment.js';
import { DatabaseModule } from './database/database.module.js';
import { EventStoreModule } from './event-store/event-store.module.js';
import { serviceVersion } from './service-version.js';

export type StorageOptions = {
  environment: Environment;
  databaseUrl: string;
  /** Shown in pg_stat_activity, to tell the processes apart. */
  applicationName: string;
  projections: Projection[];
  runProjections: boolean;
};

/** The database, the event store and the projection runner, as every process wires them. */
export function storageModules(options: StorageOptions): DynamicModule[] {
  const database = {
    url: options.databaseUrl,
    poolSize: options.environment.DATABASE_POOL_SIZE,
    applicationName: options.applicationName,
  };
  return [
    DatabaseModule.forRoot(database),
    EventStoreModule.forRoot({
      ...database,
      pollIntervalMs: options.environment.EVENT_POLL_INTERVAL_MS,
      kind: options.environment.EVENT_STORE,
      kurrentdbUrl: options.environment.KURRENTDB_URL,
    }),
    ProjectionsModule.forRoot({
      projections: options.projections,
      run: options.runProjections,
      knownAt: {
        version: serviceVersion,
        keep: options.environment.KNOWN_AT_SNAPSHOTS,
        waitMs: options.environment.KNOWN_AT_WAIT_MS,
        retentionDays: options.environment.KNOWN_AT_HISTORY_DAYS,
      },
    }),
  ];
}
