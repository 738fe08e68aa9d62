/**
 * The one order in which every append locks stream rows, so that two appends sharing streams
 * never wait on each other in a cycle. It must be the same in JavaScript and in SQL, whatever
 * the database's collation: code-point order, which is what `COLLATE "C"` gives on a UTF-8
 * database. Under ICU en-US, say, 'a' < 'B' in SQL while 'B' < 'a' in JavaScript.
 */
export const STREAM_ORDER = 'stream_id COLLATE "C"';

/** Compares stream ids by code point, as `ORDER BY ${STREAM_ORDER}` does. */
export function byStreamId(a: { streamId: string }, b: { streamId: string }): number {
  return compareCodePoints(a.streamId, b.streamId);
}

export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    // UTF-16 code units sort like code points except that surrogates (D800–DFFF, which
    // encode code points above FFFF) must come after E000–FFFF.
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
