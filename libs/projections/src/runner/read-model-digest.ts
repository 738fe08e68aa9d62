import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Projection } from './projection.js';
import { quote, tableColumns } from './row-history.js';

export type TableDigest = { table: string; rows: number; digest: string };

export type ReadModelDigest = {
  projection: string;
  /** sha256 over its tables' digests, in the order the projection names them. */
  digest: string;
  tables: TableDigest[];
};

/**
 * The content of a projection's tables as digests that ignore row order and physical
 * layout, so two builds of a read model (live and shadow, or two databases) compare by value.
 * Rows are rendered in UTC, so the session's time zone does not change a digest.
 */
export async function digestReadModels(
  dataSource: DataSource,
  projections: readonly Projection[],
  tableName: (table: string) => string = (table) => table,
): Promise<ReadModelDigest[]> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    await manager.query("SET LOCAL TIME ZONE 'UTC'");
    const digests: ReadModelDigest[] = [];
    for (const projection of projections) {
      const tables: TableDigest[] = [];
      for (const table of projection.tables) {
        // The read model's columns: not where its rows' versions began, which depends on
        // where the batches that wrote them ended.
        const name = tableName(table);
        const columns = (await tableColumns(manager, name)).map(quote).join(', ');
        tables.push({ table, ...(await digestRows(manager, `(SELECT ${columns} FROM ${name})`)) });
      }
      const whole = createHash('sha256');
      for (const { table, rows, digest } of tables) whole.update(`${table}:${rows}:${digest}\n`);
      digests.push({ projection: projection.name, digest: whole.digest('hex'), tables });
    }
    return digests;
  });
}

/** The rows of a table or subquery (`from`), digested in any order, in the caller's transaction. */
export async function digestRows(
  manager: EntityManager,
  from: string,
): Promise<{ rows: number; digest: string }> {
  const [row] = await manager.query(
    `SELECT count(*) AS rows, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS digest
       FROM (SELECT md5(t::text) AS h FROM ${from} t) hashed`,
  );
  return { rows: Number(row.rows), digest: row.digest };
}
