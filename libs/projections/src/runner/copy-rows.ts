import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A row's values for `copyRows`, in the order of its columns. */
export type CopyRow = readonly unknown[];

/** Lines per write to the connection: large enough to fill a socket buffer, small enough to stream. */
const LINES_PER_CHUNK = 1000;

/**
 * Writes `rows` into `table` with one `COPY … FROM STDIN` (text format) on `client`, inside
 * whatever transaction it holds. Cheaper for PostgreSQL than an INSERT of unnested arrays (no
 * array parameters to parse, no conflict check), but it fails on a key that is already there:
 * for tables that cannot hold the rows yet, as a rebuild's fresh ones (ProjectionContext.copy).
 */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: Iterable<CopyRow>,
): Promise<void> {
  await copyLines(
    client,
    `COPY ${table} (${columns.join(', ')}) FROM STDIN`,
    (function* () {
      for (const row of rows) yield copyLine(row);
    })(),
  );
}

/** Streams `lines` (each ended by a line break) into the `COPY … FROM STDIN` statement `copy`. */
export async function copyLines(
  client: pg.ClientBase,
  copy: string,
  lines: Iterable<string>,
): Promise<void> {
  await pipeline(Readable.from(chunks(lines)), client.query(copyFrom(copy)));
}

function* chunks(lines: Iterable<string>): Generator<string> {
  let chunk: string[] = [];
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length === LINES_PER_CHUNK) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

/** One row in COPY's text format: fields separated by tabs, ended by a line break. */
export function copyLine(row: CopyRow): string {
  return `${row.map(copyField).join('\t')}\n`;
}

/**
 * One value in COPY's text format, as node-postgres would send it as a parameter: null and
 * undefined as NULL, a Date as its ISO timestamp, an array as a PostgreSQL array of its items'
 * text (null items as NULL), anything else as its `String()`.
 */
export function copyField(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'string':
      return escapeText(value);
  }
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return escapeText(arrayLiteral(value));
  return escapeText(String(value));
}

/** An array literal with every item quoted, so commas, braces, spaces and the word NULL stay text. */
function arrayLiteral(items: readonly unknown[]): string {
  const quoted = items.map((item) =>
    item === null || item === undefined
      ? 'NULL'
      : `"${(item instanceof Date ? item.toISOString() : String(item)).replace(/[\\"]/g, '\\$&')}"`,
  );
  return `{${quoted.join(',')}}`;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * COPY's text format gives backslash, tab and line breaks a meaning: escape them (after a
 * test, since most values have none: a replace with a callback costs far more than the test).
 */
function escapeText(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c]) : text;
}
