import type { ProjectionContext } from './projection.js';

/** A statement and its parameters ($1, $2… its own). */
export type Statement = { sql: string; params: unknown[] };

/**
 * Statements that each write a different table, as one statement of data-modifying `WITH`s: one
 * round trip instead of one each. They run on one snapshot, so none may read what another
 * writes: the caller keeps to that. Every `$n` in a statement's text is taken for its parameter
 * n (no string literal or dollar quoting may hold one), and a statement naming a parameter it
 * does not carry is refused rather than bound to the next statement's.
 */
export async function inOneStatement(
  context: ProjectionContext,
  statements: readonly (Statement | undefined)[],
): Promise<void> {
  const present = statements.filter((statement) => statement !== undefined);
  if (present.length === 0) return;
  if (present.length === 1) {
    await context.query(present[0].sql, present[0].params);
    return;
  }
  const params: unknown[] = [];
  const parts = present.map(({ sql, params: own }, index) => {
    const offset = params.length;
    params.push(...own);
    const renumbered = sql.replace(/\$(\d+)/g, (_, n: string) => {
      if (Number(n) < 1 || Number(n) > own.length) {
        throw new Error(`$${n} in a statement of ${own.length} parameters: ${sql.slice(0, 60)}`);
      }
      return `$${Number(n) + offset}`;
    });
    return `w${index} AS (${renumbered})`;
  });
  await context.query(`WITH ${parts.join(',\n')} SELECT 1`, params);
}
