import { parse } from 'csv-parse/sync';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  type CommandRow,
  type RowProblem,
  rowsOfNdjson,
} from '../../api/src/imports/command-rows.js';

export type FileFormat = 'csv' | 'ndjson';

export type CommandFile = { format: FileFormat; rows: CommandRow[]; problems: RowProblem[] };

export function formatOf(path: string, given?: string): FileFormat {
  const format = (given ?? extname(path).slice(1)).toLowerCase();
  if (format === 'csv') return 'csv';
  if (['ndjson', 'jsonl'].includes(format)) return 'ndjson';
  throw new Error(`Cannot tell the format of ${path}: name it .csv or .ndjson, or pass --format`);
}

/**
 * Reads commands from a file. NDJSON: one `{"command": ..., ...fields}` object per line.
 * CSV: a header row naming the fields, with a `command` column unless `command` is given for
 * every row; empty cells are left out, and cells holding a JSON list or object (`["A","B"]`)
 * are parsed, for fields such as `unitIds`.
 */
export async function readCommandFile(
  path: string,
  format: FileFormat,
  command?: string,
): Promise<CommandFile> {
  const text = await readFile(path, 'utf8');
  if (format === 'ndjson') {
    const parsed = rowsOfNdjson(text);
    if (command) for (const row of parsed.rows) row.command = row.command || command;
    return { format, ...parsed };
  }
  const records = parse(text, {
    columns: true,
    skip_empty_lines: true,
    bom: true,
    trim: true,
    info: true,
  }) as {
    record: Record<string, string>;
    info: { lines: number };
  }[];
  const rows: CommandRow[] = [];
  const problems: RowProblem[] = [];
  for (const { record, info } of records) {
    const { command: named, ...cells } = record;
    const name = named || command;
    if (!name) {
      problems.push({
        line: info.lines,
        error: 'validation_failed',
        message: 'The row names no command: add a command column or pass --command',
      });
      continue;
    }
    const fields: Record<string, unknown> = {};
    try {
      for (const [field, cell] of Object.entries(cells)) {
        if (cell === '') continue;
        fields[field] = /^[[{]/.test(cell) ? JSON.parse(cell) : cell;
      }
    } catch (error) {
      problems.push({
        line: info.lines,
        command: name,
        error: 'malformed_json',
        message: (error as Error).message,
      });
      continue;
    }
    rows.push({ line: info.lines, command: name, fields });
  }
  return { format, rows, problems };
}
