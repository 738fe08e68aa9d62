/** A statement and its parameters ($1, $2… its own). */
export type Statement = { sql: string; params: unknown[] };

/** Anything that runs a statement and answers its rows (an EntityManager, a projection's context). */
export type Queryable = { query(sql: string, params?: unknown[]): Promise<unknown> };

/**
 * The statements' texts with each one's parameters numbered on from those of the statements
 * before it, and every parameter in that order: the parts of one statement that carries them
 * all. Every `$n` in a text is taken for its parameter n (no string literal or dollar quoting
 * may hold one), and a statement naming a parameter it does not carry is refused rather than
 * bound to the next statement's.
 */
export function numberedTogether(statements: readonly Statement[]): {
  texts: string[];
  params: unknown[];
} {
  const params: unknown[] = [];
  const texts = statements.map(({ sql, params: own }) => {
    const offset = params.length;
    params.push(...own);
    return sql.replace(/\$(\d+)/g, (_, n: string) => {
      if (Number(n) < 1 || Number(n) > own.length) {
        throw new Error(`$${n} in a statement of ${own.length} parameters: ${sql.slice(0, 60)}`);
      }
      return `$${Number(n) + offset}`;
    });
  });
  return { texts, params };
}

/** A read: a SELECT (none when there is nothing to read), and what its rows answer. */
export type Read<T> = { sql: string | null; params: unknown[]; answer(rows: unknown[]): T };

type Answers<R extends readonly Read<unknown>[]> = {
  -readonly [K in keyof R]: R[K] extends Read<infer T> ? T : never;
};

/** Runs one read. */
export async function read<T>(database: Queryable, { sql, params, answer }: Read<T>): Promise<T> {
  return answer(sql === null ? [] : ((await database.query(sql, params)) as unknown[]));
}

/**
 * Runs reads in one round trip: one statement whose columns are each read's rows as a JSON
 * array (`json_agg` over the read as a subquery: PostgreSQL keeps a sorted subquery's order
 * in the aggregate in practice, as its manual shows, without promising it). Each read sees the
 * same snapshot. Its rows reach `answer` as JSON gives them: numbers of every kind (bigint and
 * numeric too, which a read on its own answers as strings) as numbers, dates and times as the
 * text JSON writes them, so a read meant for both casts what it needs (`::text`, `Number()`).
 */
export async function readTogether<const R extends readonly Read<unknown>[]>(
  database: Queryable,
  reads: R,
): Promise<Answers<R>> {
  const statements = reads.filter((one): one is Read<unknown> & Statement => one.sql !== null);
  if (statements.length <= 1)
    return (await Promise.all(reads.map((one) => read(database, one)))) as Answers<R>;
  const { texts, params } = numberedTogether(statements);
  const columns = texts.map(
    (text, index) =>
      // An alias no read's column is likely to share (json_agg of a column would aggregate it).
      `(SELECT coalesce(json_agg(read_row__), '[]') FROM (${text}) read_row__) AS r${index}`,
  );
  const [row] = (await database.query(`SELECT ${columns.join(',\n')}`, params)) as Record<
    string,
    unknown[]
  >[];
  const rows = new Map<Read<unknown>, unknown[]>(
    statements.map((one, index) => [one, row[`r${index}`]]),
  );
  return reads.map((one) => one.answer(rows.get(one) ?? [])) as Answers<R>;
}
