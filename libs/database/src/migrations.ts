import { DataSource, MigrationExecutor, type MigrationInterface } from 'typeorm';
import { ADVISORY_LOCKS } from './advisory-locks.js';
import { survivingPoolClients } from './pool-clients.js';

type MigrationClass = new () => MigrationInterface;

/** Runs pending migrations; concurrent starters wait on one advisory lock, so each runs once. */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1, $2)', [...ADVISORY_LOCKS.migrations]);
    // On the connection that holds the lock: `dataSource.runMigrations()` would wait for a
    // second one, forever when the pool has a single connection.
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    await executor.executePendingMigrations();
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock($1, $2)', [...ADVISORY_LOCKS.migrations])
      .catch(() => undefined);
    await runner.release();
  }
}

/** Migrates a database outside Nest (CLI, tests). */
export async function migrateDatabase(url: string, migrations: MigrationClass[]): Promise<void> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations,
    logging: false,
    extra: survivingPoolClients,
  });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
