import type { DataSource, QueryRunner } from 'typeorm';
import type { ProjectionContext } from './projection.js';

/**
 * One transaction on its own connection, with a `query` that answers rows for any statement
 * (what a projection's `apply` expects), and the raw query runner for the rest.
 */
export async function projectionTransaction<T>(
  dataSource: DataSource,
  work: (context: Omit<ProjectionContext, 'table'>, tx: QueryRunner) => Promise<T>,
): Promise<T> {
  const tx = dataSource.createQueryRunner();
  await tx.connect();
  try {
    await tx.startTransaction();
    const query = async <Row>(sql: string, params?: unknown[]) =>
      (await tx.query(sql, params, true)).records as Row[];
    const result = await work({ query }, tx);
    await tx.commitTransaction();
    return result;
  } catch (error) {
    if (tx.isTransactionActive) await tx.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await tx.release();
  }
}
