import { describe, expect, it } from '@jest/globals';
import { inOneStatement } from './in-one-statement.js';
import type { ProjectionContext } from './projection.js';

/** A context that records what it is asked to run. */
function recording() {
  const sent: { sql: string; params?: unknown[] }[] = [];
  const context: ProjectionContext = {
    query: async (sql, params) => {
      sent.push({ sql, params });
      return [];
    },
    table: (name) => name,
  };
  return { sent, context };
}

describe('inOneStatement', () => {
  it('numbers each statement’s parameters on from those of the statements before it', async () => {
    const { sent, context } = recording();

    await inOneStatement(context, [
      { sql: 'INSERT INTO a SELECT * FROM unnest($1::text[], $2::int[])', params: [['x'], [1]] },
      undefined,
      { sql: 'INSERT INTO b SELECT $1::text, $2::date, $1::text', params: ['y', '2025-01-01'] },
      { sql: 'INSERT INTO c VALUES ($1), ($10)', params: Array.from({ length: 10 }, (_, i) => i) },
    ]);

    expect(sent).toEqual([
      {
        sql:
          'WITH w0 AS (INSERT INTO a SELECT * FROM unnest($1::text[], $2::int[])),\n' +
          'w1 AS (INSERT INTO b SELECT $3::text, $4::date, $3::text),\n' +
          'w2 AS (INSERT INTO c VALUES ($5), ($14)) SELECT 1',
        params: [['x'], [1], 'y', '2025-01-01', ...Array.from({ length: 10 }, (_, i) => i)],
      },
    ]);
  });

  it('refuses a statement that names a parameter it does not carry, and sends nothing', async () => {
    const { sent, context } = recording();

    await expect(
      inOneStatement(context, [
        { sql: 'INSERT INTO a VALUES ($1)', params: [1] },
        { sql: 'INSERT INTO b VALUES ($1, $2)', params: [2] },
      ]),
    ).rejects.toThrow('$2 in a statement of 1 parameters');
    expect(sent).toEqual([]);
  });

  it('sends a lone statement as it is, and nothing for none', async () => {
    const { sent, context } = recording();

    await inOneStatement(context, [undefined, { sql: 'DELETE FROM a WHERE k = $1', params: [1] }]);
    await inOneStatement(context, [undefined]);

    expect(sent).toEqual([{ sql: 'DELETE FROM a WHERE k = $1', params: [1] }]);
  });
});
