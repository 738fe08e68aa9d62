import {
  type DynamicModule,
  Global,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EventStore, KurrentDBEventStore, PostgresEventStore } from '#event-store';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { type EventStoreKind } from '../config/environment.js';
import { CONNECT_TIMEOUT_MS, type DatabaseOptions } from '../database/database.module.js';

export type EventStoreOptions = DatabaseOptions & {
  pollIntervalMs: number;
  kind?: EventStoreKind;
  /** Required when kind is 'kurrentdb'. */
  kurrentdbUrl?: string;
};

/** The event store's own connections, apart from TypeORM's; closed after the HTTP server. */
export class EventStorePool extends pg.Pool implements OnApplicationShutdown {
  /** The store on this pool, whose queued appends must commit before the pool ends. */
  store?: PostgresEventStore;

  /** Connections whose socket is still open: `end()` resolves before they have closed. */
  private readonly open = new Set<pg.PoolClient>();

  constructor(config: pg.PoolConfig) {
    super(config);
    this.on('connect', (client) => {
      this.open.add(client);
      client.once('end', () => this.open.delete(client));
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store?.close();
    await this.end();
    // Wait for the sockets too: the server stops next, and would terminate a backend whose
    // connection is still closing.
    await Promise.all(
      [...this.open].map((client) => new Promise((closed) => client.once('end', closed))),
    );
  }
}

/** The KurrentDB connection, closed after the HTTP server and the projections. */
class KurrentDBConnection implements OnApplicationShutdown {
  constructor(readonly store: KurrentDBEventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
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
    kind = 'postgres',
    kurrentdbUrl,
  }: EventStoreOptions): DynamicModule {
    if (kind === 'kurrentdb') {
      return {
        module: EventStoreModule,
        providers: [
          {
            provide: KurrentDBConnection,
            // Reads the head of $all, so a bad or unreachable server stops start-up here.
            useFactory: async () =>
              new KurrentDBConnection(await KurrentDBEventStore.connect(kurrentdbUrl!)),
          },
          {
            provide: EventStore,
            inject: [KurrentDBConnection],
            useFactory: (connection: KurrentDBConnection) => connection.store,
          },
        ],
        exports: [EventStore],
      };
    }
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
              connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
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
          useFactory: (pool: EventStorePool) => {
            pool.store = new PostgresEventStore(pool, {
              pollIntervalMs,
              logger: new Logger('EventStore'),
            });
            return pool.store;
          },
        },
      ],
      exports: [EventStore],
    };
  }
}
