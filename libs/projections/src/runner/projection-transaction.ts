import type pg from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { copyRows } from './copy-rows.js';
import type { ProjectionContext } from './projection.js';

/** What a caller hears about a connection the transaction had to throw away. */
export type BrokenConnectionLog = (message: string) => void;

type Query = ProjectionContext['query'];

/** A transaction that begins when it is first asked for: see `transactionOnDemand`. */
export type OnDemand = {
  /** Answers rows for any statement, inside the transaction (begun by the first call). */
  query: Query;
  /** Begins the transaction if it has not begun, and gives its query runner. */
  begin(): Promise<QueryRunner>;
  /** `COPY` of rows into a table, inside the transaction (begun by the first call). */
  copy: NonNullable<ProjectionContext['copy']>;
  /** Whether the transaction has begun. */
  readonly begun: boolean;
};

/**
 * One transaction on its own connection, with a `query` that answers rows for any statement
 * (what a projection's `apply` expects), and the raw query runner for the rest. When the
 * ROLLBACK after a failure fails too, the connection's state is unknown (a transaction may
 * still be open on it): it is destroyed, not returned to the pool, and `log` hears of it.
 */
export function projectionTransaction<T>(
  dataSource: DataSource,
  work: (context: Omit<ProjectionContext, 'table'>, tx: QueryRunner) => Promise<T>,
  log?: BrokenConnectionLog,
): Promise<T> {
  return transactionOnDemand(
    dataSource,
    async (session) => work({ query: session.query }, await session.begin()),
    { log },
  );
}

/**
 * A `projectionTransaction` that takes a connection and begins only when `work` first asks
 * for it (a query, or `begin()`); `opening` runs first in it. Work that asks for nothing holds
 * no connection and commits nothing: a projection's batch of events it ignores costs no
 * transaction at all (see `commitBatch`).
 */
export async function transactionOnDemand<T>(
  dataSource: DataSource,
  work: (session: OnDemand) => Promise<T>,
  { opening, log }: { opening?: (query: Query) => Promise<void>; log?: BrokenConnectionLog } = {},
): Promise<T> {
  let tx: QueryRunner | undefined;
  let beginning: Promise<QueryRunner> | undefined;
  const rows: Query = async (sql, params) => (await tx!.query(sql, params, true)).records as never;
  const begin = () =>
    (beginning ??= (async () => {
      tx = dataSource.createQueryRunner();
      await tx.connect();
      await tx.startTransaction();
      await opening?.(rows);
      return tx;
    })());
  const session: OnDemand = {
    query: async (sql, params) => {
      await begin();
      return rows(sql, params);
    },
    begin,
    copy: async (table, columns, rows) => {
      // TypeORM's PostgreSQL query runner answers `connect()` with its node-postgres client.
      const client = (await (await begin()).connect()) as pg.ClientBase;
      await copyRows(client, table, columns, rows);
    },
    get begun() {
      return beginning !== undefined;
    },
  };
  let broken: Error | undefined;
  try {
    const result = await work(session);
    await beginning;
    if (tx) await tx.commitTransaction();
    return result;
  } catch (error) {
    // A `begin` still under way (work that threw without awaiting its query) is let finish,
    // so that its connection is rolled back and released rather than left to arrive unowned.
    await beginning?.catch(() => undefined);
    if (tx?.isTransactionActive) {
      await tx.rollbackTransaction().catch((rollback: Error) => {
        broken = rollback;
        log?.(
          `ROLLBACK failed after "${(error as Error).message}": ${rollback.message}; ` +
            'the connection is destroyed, not returned to the pool',
        );
      });
    }
    throw error;
  } finally {
    if (tx) {
      if (broken) await destroy(tx, broken);
      else await tx.release();
    }
  }
}

/**
 * Ends the connection instead of returning it to the pool: pg's pool destroys a client
 * released with an error, and TypeORM's PostgreSQL query runner passes one on from
 * `releasePostgresConnection` (not part of its typed interface).
 */
export async function destroy(tx: QueryRunner, error: Error): Promise<void> {
  const postgres = tx as unknown as { releasePostgresConnection?(error: Error): Promise<void> };
  if (postgres.releasePostgresConnection) await postgres.releasePostgresConnection(error);
  else await tx.release();
}
