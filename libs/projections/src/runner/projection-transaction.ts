import type pg from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { copyRows } from './copy-rows.js';
import type { ProjectionContext } from './projection.js';

/** What a caller hears about a connection the transaction had to throw away. */
export type BrokenConnectionLog = (message: string) => void;

type Query = ProjectionContext['query'];

/**
 * A statement sent with the transaction's BEGIN, in the same round trip: a simple query, so it
 * carries no parameters (write its values in, escaped). `check` looks at its rows; what it
 * throws rolls the transaction back.
 */
export type Opening = { sql: string; check(rows: unknown[]): void };

/** A transaction that begins when it is first asked for: see `transactionOnDemand`. */
export type OnDemand = {
  /** Answers rows for any statement, inside the transaction (begun by the first call). */
  query: Query;
  /** Begins the transaction if it has not begun, and gives its query runner. */
  begin(): Promise<QueryRunner>;
  /** `COPY` of rows into a table, inside the transaction (begun by the first call). */
  copy: NonNullable<ProjectionContext['copy']>;
  /**
   * Runs a last statement and commits, in one round trip (a simple query: no parameters), and
   * answers its rows. If it fails, nothing commits. Only once the transaction has begun.
   */
  commitWith(sql: string): Promise<unknown[]>;
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
 * for it (a query, or `begin()`); `opening` runs first in it, sent with the BEGIN. Work that
 * asks for nothing holds no connection and commits nothing: a projection's batch of events it
 * ignores costs no transaction at all (see `commitBatch`).
 *
 * With an `opening`, the BEGIN, COMMIT and ROLLBACK are sent on the connection itself (so the
 * BEGIN can share its round trip, and the COMMIT `commitWith`'s): TypeORM's query runner does
 * not know of that transaction, and is not asked to commit it.
 */
export async function transactionOnDemand<T>(
  dataSource: DataSource,
  work: (session: OnDemand) => Promise<T>,
  { opening, log }: { opening?: Opening; log?: BrokenConnectionLog } = {},
): Promise<T> {
  let tx: QueryRunner | undefined;
  let beginning: Promise<QueryRunner> | undefined;
  /** A transaction begun on the connection (with `opening`) and not yet ended. */
  let open = false;
  let committed = false;
  const client = async () => (await tx!.connect()) as pg.ClientBase;
  const rows: Query = async (sql, params) => (await tx!.query(sql, params, true)).records as never;
  const begin = () =>
    (beginning ??= (async () => {
      tx = dataSource.createQueryRunner();
      const connection = await client();
      if (!opening) {
        await tx.startTransaction();
        return tx;
      }
      open = true;
      const [, opened] = (await connection.query(
        `START TRANSACTION; ${opening.sql}`,
      )) as unknown as pg.QueryResult[];
      opening.check(opened.rows);
      return tx;
    })());
  const session: OnDemand = {
    query: async (sql, params) => {
      await begin();
      return rows(sql, params);
    },
    begin,
    copy: async (table, columns, rows) => {
      await begin();
      await copyRows(await client(), table, columns, rows);
    },
    commitWith: async (sql) => {
      if (!beginning) throw new Error('commitWith before the transaction began');
      await beginning;
      let last: pg.QueryResult;
      if (open) {
        [last] = (await (await client()).query(`${sql}; COMMIT`)) as unknown as pg.QueryResult[];
        open = false;
      } else {
        last = await (await client()).query(sql);
        await tx!.commitTransaction();
      }
      committed = true;
      return last.rows;
    },
    get begun() {
      return beginning !== undefined;
    },
  };
  let broken: Error | undefined;
  try {
    const result = await work(session);
    await beginning;
    if (tx && !committed) {
      if (open) await tx.query('COMMIT');
      else await tx.commitTransaction();
      open = false;
    }
    return result;
  } catch (error) {
    // A `begin` still under way (work that threw without awaiting its query) is let finish,
    // so that its connection is rolled back and released rather than left to arrive unowned.
    await beginning?.catch(() => undefined);
    const rollBack = open
      ? () => tx!.query('ROLLBACK')
      : tx?.isTransactionActive
        ? () => tx!.rollbackTransaction()
        : undefined;
    await rollBack?.().catch((rollback: Error) => {
      broken = rollback;
      log?.(
        `ROLLBACK failed after "${(error as Error).message}": ${rollback.message}; ` +
          'the connection is destroyed, not returned to the pool',
      );
    });
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
