import { migrateDatabase, survivingPoolClients } from '#database';
import { eventStoreMigrations, PostgresEventStore } from '#event-store';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { CreateProjectionCheckpoints1763900000100 } from '../runner/projection-checkpoints.migrations.js';
import { CreateProjectionHistory1763900003200 } from '../runner/projection-history.migrations.js';

type MigrationClass = Parameters<typeof migrateDatabase>[1][number];

export type ProjectionTestDatabaseOptions = {
  /** The read models' own migrations, run after those the options below add. */
  migrations?: MigrationClass[];
  /** Also the event store's tables, with `pool` and `store` on them. */
  eventStore?: boolean;
  /** Also the runner's tables: checkpoints, batches, rebuilds and row history. */
  runnerTables?: boolean;
  /** The connection pool size of `dataSource` (TypeORM's default when not given). */
  max?: number;
};

export type ProjectionTestDatabase = TestDatabase & {
  dataSource: DataSource;
  /** With `eventStore`: a pool of 10 and a PostgreSQL event store polling every 10 ms. */
  pool: pg.Pool;
  store: PostgresEventStore;
  /** Another data source on the database, of its own pool; `drop` closes it. */
  openDataSource(options?: { applicationName?: string; max?: number }): Promise<DataSource>;
};

/**
 * A fresh database for a projection's integration test (see `createTestDatabase`), migrated
 * with what the options ask for, and an open data source on it. `drop` closes every data
 * source and pool it opened, then drops the database.
 */
export async function projectionTestDatabase(
  options: ProjectionTestDatabaseOptions = {},
): Promise<ProjectionTestDatabase> {
  const database = await createTestDatabase();
  const dataSources: DataSource[] = [];
  let pool: pg.Pool | undefined;
  let store: PostgresEventStore | undefined;
  const openDataSource = async ({
    applicationName,
    max,
  }: { applicationName?: string; max?: number } = {}) => {
    const extra = {
      ...survivingPoolClients,
      ...(applicationName ? { application_name: applicationName } : {}),
      ...(max ? { max } : {}),
    };
    const dataSource = new DataSource({ type: 'postgres', url: database.url, extra });
    dataSources.push(dataSource);
    return dataSource.initialize();
  };
  const drop = async () => {
    await Promise.all(
      dataSources.map((dataSource) =>
        dataSource.isInitialized ? dataSource.destroy().catch(() => undefined) : undefined,
      ),
    );
    await pool?.end();
    await database.drop();
  };
  try {
    const migrations = [
      ...(options.eventStore ? eventStoreMigrations : []),
      ...(options.runnerTables
        ? [CreateProjectionCheckpoints1763900000100, CreateProjectionHistory1763900003200]
        : []),
      ...(options.migrations ?? []),
    ];
    if (migrations.length > 0) await migrateDatabase(database.url, migrations);
    if (options.eventStore) {
      pool = new pg.Pool({ connectionString: database.url, max: 10 });
      store = new PostgresEventStore(pool, { pollIntervalMs: 10 });
    }
    const dataSource = await openDataSource({ max: options.max });
    return {
      url: database.url,
      dataSource,
      get pool() {
        if (!pool) throw new Error('Ask projectionTestDatabase for eventStore: true');
        return pool;
      },
      get store() {
        if (!store) throw new Error('Ask projectionTestDatabase for eventStore: true');
        return store;
      },
      openDataSource,
      drop,
    };
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
}
