import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';

/**
 * A connection of its own to the data source's database, outside TypeORM's pool, from the
 * data source's full options (url, or host/port/user/password/database). Named
 * `<application> <purpose>` in pg_stat_activity. Not connected yet: the caller listens for
 * `error`/`end` and connects.
 */
export function ownSession(dataSource: DataSource, purpose: string): pg.Client {
  const options = dataSource.options as PostgresDataSourceOptions;
  return new pg.Client({
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
    application_name: `${options.applicationName ?? 'campaign-ledger'} ${purpose}`,
  });
}

/**
 * A connection of its own (`ownSession`, which the pool's work needs kept free), for holding a
 * session-level advisory lock: PostgreSQL releases the lock when this connection ends or breaks.
 * Named `<application> lock:<purpose>` in pg_stat_activity.
 */
export function lockSession(dataSource: DataSource, purpose: string): pg.Client {
  return ownSession(dataSource, `lock:${purpose}`);
}
