import { type FieldError } from '../http-errors/error-response.js';

/**
 * Far deeper than any request needs (an import row nests four levels), and shallow enough that
 * class-transformer and class-validator, which recurse, never run out of stack.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Keys that class-transformer drops without a word, so they would pass `forbidNonWhitelisted`
 * unnoticed; no request has a field by these names.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const MOST_PROBLEMS = 10;

/**
 * What makes a parsed JSON value unsafe to hand on, each named by its field's path: nesting
 * deeper than `MAX_JSON_DEPTH`, a prototype key, a NUL character (PostgreSQL's jsonb refuses
 * it, so the event insert would fail) or a lone surrogate (not Unicode text; jsonb refuses it
 * too). Iterative, so a value nested 100,000 levels deep cannot overflow the stack here.
 */
export function unsafeJsonIn(value: unknown, root = ''): FieldError[] {
  const problems: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value, path: root, depth: 0 },
  ];
  while (pending.length > 0 && problems.length < MOST_PROBLEMS) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      const reason = unsafeText(current);
      if (reason) problems.push({ field: path || '(body)', reason });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      problems.push({
        field: path || '(body)',
        reason: `nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`,
      });
      continue;
    }
    if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--)
        pending.push({ value: current[index], path: `${path}[${index}]`, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(current);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, item] = entries[index];
      const field = path ? `${path}.${key}` : key;
      const keyReason = FORBIDDEN_KEYS.has(key) ? 'is not an accepted field' : unsafeText(key);
      if (keyReason) problems.push({ field: printable(field), reason: keyReason });
      else pending.push({ value: item, path: field, depth: depth + 1 });
    }
  }
  return problems;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unsafeText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text: it holds a lone surrogate';
  return undefined;
}

/** A field name fit to echo back: JSON escapes a NUL or a lone surrogate in a key. */
function printable(field: string): string {
  return JSON.stringify(field).slice(1, -1);
}
