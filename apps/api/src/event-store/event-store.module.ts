import {
  type DynamicModule,
  Global,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EventStore, PostgresEventStore } from '#event-store';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { type DatabaseOptions } from '../database/database.module.js';

export type EventStoreOptions = DatabaseOptions & { pollIntervalMs: number };

/** The event store's own connections, apart from TypeORM's; closed after the HTTP server. */
export class EventStorePool extends pg.Pool implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await this.end();
  }
}

@Global()
@Module({})
export class EventStoreModule {
  static forRoot({
    url,
    poolSize,
    applicationName,
    pollIntervalMs,
  }: EventStoreOptions): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: EventStorePool,
          useFactory: () => {
            const pool = new EventStorePool({
              connectionString: url,
              max: poolSize,
              application_name: applicationName,
            });
            // An idle connection that breaks (server restart, network) must not end the process.
            const logger = new Logger('EventStore');
            pool.on('error', (error) => logger.warn(`Idle connection failed: ${error.message}`));
            return pool;
          },
        },
        {
          provide: EventStore,
          // Depends on the DataSource so that no one gets the store before the schema is migrated.
          inject: [EventStorePool, DataSource],
          useFactory: (pool: EventStorePool) => new PostgresEventStore(pool, { pollIntervalMs }),
        },
      ],
      exports: [EventStore],
    };
  }
}
