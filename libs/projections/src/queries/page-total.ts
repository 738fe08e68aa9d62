import { type EntityManager } from 'typeorm';

/**
 * The total a page's rows carry (`count(*) OVER ()`); a page past the end has no row to carry
 * it, so the same rows are counted on their own then.
 */
export async function pageTotal(
  manager: EntityManager,
  rows: readonly object[],
  count: { from: string; params: unknown[] },
): Promise<number> {
  if (rows.length > 0) return Number((rows[0] as { total: string | number }).total);
  const [row] = await manager.query(`SELECT count(*) AS total FROM ${count.from}`, count.params);
  return Number(row.total);
}
