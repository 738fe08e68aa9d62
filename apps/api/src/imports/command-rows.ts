/**
 * The most rows a batch may hold (IMPORT_MAX_ROWS may lower it): more belong in several
 * batches, and the CLI splits files for you.
 */
export const MAX_BATCH_ROWS = 10_000;

/** One command of a batch, as sent: its name, its fields, and where it sits in the file. */
export type CommandRow = {
  /** The line in an NDJSON body or file (1-based), or the position in a JSON array. */
  line: number;
  command: string;
  fields: Record<string, unknown>;
};

/** What is wrong with one row of a batch. */
export type RowProblem = {
  line: number;
  command?: string;
  error: string;
  message: string;
  fields?: { field: string; reason: string }[];
};

/** Rows from a JSON array of `{ "command": "RegisterUnit", ...fields }` objects. */
export function rowsOfArray(
  items: unknown[],
  firstLine = 1,
): { rows: CommandRow[]; problems: RowProblem[] } {
  const rows: CommandRow[] = [];
  const problems: RowProblem[] = [];
  items.forEach((item, index) => {
    const row = rowOf(item, firstLine + index);
    if ('error' in row) problems.push(row);
    else rows.push(row);
  });
  return { rows, problems };
}

/** Rows from NDJSON: one JSON object per line; blank lines are skipped, line numbers kept. */
export function rowsOfNdjson(text: string): { rows: CommandRow[]; problems: RowProblem[] } {
  const rows: CommandRow[] = [];
  const problems: RowProblem[] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    if (content.trim() === '') return;
    let item: unknown;
    try {
      item = JSON.parse(content);
    } catch (error) {
      problems.push({
        line: index + 1,
        error: 'malformed_json',
        message: (error as Error).message,
      });
      return;
    }
    const row = rowOf(item, index + 1);
    if ('error' in row) problems.push(row);
    else rows.push(row);
  });
  return { rows, problems };
}

function rowOf(item: unknown, line: number): CommandRow | RowProblem {
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    return { line, error: 'validation_failed', message: 'Each row must be a JSON object' };
  }
  const { command, ...fields } = item as Record<string, unknown>;
  if (typeof command !== 'string' || command === '') {
    return {
      line,
      error: 'validation_failed',
      message: 'Each row must name its command, e.g. "command": "RegisterUnit"',
      fields: [{ field: 'command', reason: 'must name a command' }],
    };
  }
  return { line, command, fields };
}
