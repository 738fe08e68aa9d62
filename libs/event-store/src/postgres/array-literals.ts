/**
 * PostgreSQL array literals written here rather than by node-postgres, for the parameters of
 * large appends: its encoding escapes every element with two regular expressions and writes
 * every Date in local time through string padding, several microseconds an event in all.
 */

const ESCAPED = /["\\]/;
const TO_ESCAPE = /["\\]/g;

/** A `text[]` literal: every element quoted, its quotes and backslashes escaped. */
export function textArray(values: readonly string[]): string {
  let out = '{';
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    out +=
      (index === 0 ? '"' : ',"') +
      (ESCAPED.test(value) ? value.replace(TO_ESCAPE, '\\$&') : value) +
      '"';
  }
  return `${out}}`;
}

/**
 * A literal of elements that need no quoting: numbers, UUIDs (validateWrites accepts no other
 * event id), ISO 8601 times.
 */
export function bareArray(values: readonly (number | string)[]): string {
  return `{${values.join(',')}}`;
}
