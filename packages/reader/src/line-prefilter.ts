// The byte-level pre-filter of queries: skips JSON.parse for lines that
// cannot hold the exact field values asked for. It may let through lines that
// do not match (they are parsed and filtered properly) but never drops one
// that could match.
import { Buffer } from "node:buffer";

const BACKSLASH = 0x5c;

/**
 * A JSON string can be written without escapes only when it has no `"`, `\`
 * or control characters; any writer may still escape other characters (Python
 * writes non-ASCII as \uXXXX), but only inside a line that contains a backslash.
 */
function needsEscape(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}

interface Cursor {
  readonly needle: Buffer | number;
  bytes: Uint8Array | undefined;
  from: number;
  at: number;
}

function find(cursor: Cursor, bytes: Buffer, source: Uint8Array, start: number): number {
  // Positions are cached per chunk: the next occurrence at or after `from`
  // serves every line until the scan passes it, so a chunk is searched once.
  if (cursor.bytes !== source || start < cursor.from || (cursor.at !== -1 && cursor.at < start)) {
    cursor.bytes = source;
    cursor.from = start;
    cursor.at = bytes.indexOf(cursor.needle, start);
  }
  return cursor.at;
}

/**
 * Builds a predicate over line bytes that is false only for lines that
 * contain none of the ways `values` can be written: each value's unescaped
 * JSON string (`"RUN-1"`), or any backslash escape. Undefined when there is
 * nothing to filter on.
 */
export function createLinePrefilter(values: readonly string[]): ((bytes: Uint8Array, start: number, end: number) => boolean) | undefined {
  if (values.length === 0) return undefined;
  const needles: Cursor[] = [];
  let onlyEscaped = false;
  for (const value of values) {
    // A value that must be escaped can only appear in a line with a backslash.
    if (needsEscape(value)) onlyEscaped = true;
    else needles.push({ needle: Buffer.from(`"${value}"`, "utf8"), bytes: undefined, from: 0, at: -1 });
  }
  const backslash: Cursor = { needle: BACKSLASH, bytes: undefined, from: 0, at: -1 };
  return (source, start, end) => {
    const bytes = Buffer.isBuffer(source) ? source : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    let hasBackslash: boolean | undefined;
    const escaped = (): boolean => (hasBackslash ??= (() => {
      const at = find(backslash, bytes, source, start);
      return at !== -1 && at < end;
    })());
    if (onlyEscaped && !escaped()) return false;
    for (const cursor of needles) {
      const at = find(cursor, bytes, source, start);
      // A needle holds no newline, so an occurrence before `end` lies inside this line.
      if ((at === -1 || at >= end) && !escaped()) return false;
    }
    return true;
  };
}
