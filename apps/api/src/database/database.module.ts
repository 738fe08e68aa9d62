import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { runMigrations, survivingPoolClients } from '#database';
import { DataSource } from 'typeorm';
import { migrations } from './migrations.js';

/** How long getting a database connection may take before the request fails as unavailable. */
export const CONNECT_TIMEOUT_MS = 5_000;

export type DatabaseOptions = {
  url: string;
  poolSize: number;
  /** Shown in pg_stat_activity, to tell the processes apart. */
  applicationName: string;
};

/** TypeORM on the shared database, migrated before anything can use it. */
@Module({})
export class DatabaseModule {
  static forRoot({ url, poolSize, applicationName }: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            type: 'postgres',
            url,
            poolSize,
            applicationName,
            // A server that vanished without closing its sockets (network, external host) must
            // not hold requests forever: they fail, as 503, after this long.
            connectTimeoutMS: CONNECT_TIMEOUT_MS,
            synchronize: false,
            migrationsRun: false,
            migrations,
            autoLoadEntities: true,
            logging: false,
            retryAttempts: 3,
            retryDelay: 2000,
            extra: survivingPoolClients,
          }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            try {
              await runMigrations(dataSource);
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        }),
      ],
    };
  }
}
