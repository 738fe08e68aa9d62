import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';

/**
 * A connection of its own, outside TypeORM's pool (which the work needs), for holding a
 * session-level advisory lock: PostgreSQL releases the lock when this connection ends or breaks.
 * Named `<application> lock:<purpose>` in pg_stat_activity. Not connected yet: the caller
 * listens for `error`/`end` (the lock is lost) and connects.
 */
export function lockSession(dataSource: DataSource, purpose: string): pg.Client {
  const options = dataSource.options as PostgresDataSourceOptions;
  return new pg.Client({
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
    application_name: `${options.applicationName ?? 'campaign-ledger'} lock:${purpose}`,
  });
}
