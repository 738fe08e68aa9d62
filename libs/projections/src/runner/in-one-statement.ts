import { type Statement, numberedTogether } from '../queries/statements.js';
import type { ProjectionContext } from './projection.js';

export type { Statement } from '../queries/statements.js';

/**
 * Statements that each write a different table, as one statement of data-modifying `WITH`s: one
 * round trip instead of one each. They run on one snapshot, so none may read what another
 * writes: the caller keeps to that. Parameters are numbered as `numberedTogether` says.
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
  const { texts, params } = numberedTogether(present);
  const parts = texts.map((text, index) => `w${index} AS (${text})`);
  await context.query(`WITH ${parts.join(',\n')} SELECT 1`, params);
}
