import type { DataSource, QueryRunner } from 'typeorm';
import type { ProjectionContext } from './projection.js';

/** What a caller hears about a connection the transaction had to throw away. */
export type BrokenConnectionLog = (message: string) => void;

/**
 * One transaction on its own connection, with a `query` that answers rows for any statement
 * (what a projection's `apply` expects), and the raw query runner for the rest. When the
 * ROLLBACK after a failure fails too, the connection's state is unknown (a transaction may
 * still be open on it): it is destroyed, not returned to the pool, and `log` hears of it.
 */
export async function projectionTransaction<T>(
  dataSource: DataSource,
  work: (context: Omit<ProjectionContext, 'table'>, tx: QueryRunner) => Promise<T>,
  log?: BrokenConnectionLog,
): Promise<T> {
  const tx = dataSource.createQueryRunner();
  await tx.connect();
  let broken: Error | undefined;
  try {
    await tx.startTransaction();
    const query = async <Row>(sql: string, params?: unknown[]) =>
      (await tx.query(sql, params, true)).records as Row[];
    const result = await work({ query }, tx);
    await tx.commitTransaction();
    return result;
  } catch (error) {
    if (tx.isTransactionActive) {
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
    if (broken) await destroy(tx, broken);
    else await tx.release();
  }
}

/**
 * Ends the connection instead of returning it to the pool: pg's pool destroys a client
 * released with an error, and TypeORM's PostgreSQL query runner passes one on from
 * `releasePostgresConnection` (not part of its typed interface).
 */
async function destroy(tx: QueryRunner, error: Error): Promise<void> {
  const postgres = tx as unknown as { releasePostgresConnection?(error: Error): Promise<void> };
  if (postgres.releasePostgresConnection) await postgres.releasePostgresConnection(error);
  else await tx.release();
}
