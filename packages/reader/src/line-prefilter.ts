// The byte-level pre-filter of queries: skips JSON.parse for lines that
// cannot hold the exact field values asked for. It may let through lines that
// do not match (they are parsed and filtered properly) but never drops one
// that could match.
import { Buffer } from "node:buffer";
import { NeedleSearch } from "./needle-search.js";
import type { LinePrefilter } from "./chunk-parser.js";

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
  /** A byte, or a value's JSON string with its quotes. */
  readonly needle: NeedleSearch | number;
  bytes: Uint8Array | undefined;
  from: number;
  at: number;
}

/** Next occurrence of the cursor's needle at or after `start`, -1 if none. */
function search(needle: NeedleSearch | number, bytes: Buffer, start: number): number {
  return typeof needle === "number" ? bytes.indexOf(needle, start) : needle.indexIn(bytes, start);
}

function find(cursor: Cursor, bytes: Buffer, source: Uint8Array, start: number, end: number): number {
  if (cursor.bytes === source && start < cursor.from) {
    // A backward scan (order: "desc") visits lines from the chunk's end:
    // a position cached ahead is useless, so search this line only.
    const at = search(cursor.needle, bytes.subarray(start, end), 0);
    return at === -1 ? -1 : start + at;
  }
  // Forward, positions are cached per chunk: the next occurrence at or after
  // `from` serves every line until the scan passes it, so a chunk is searched once.
  if (cursor.bytes !== source || (cursor.at !== -1 && cursor.at < start)) {
    cursor.bytes = source;
    cursor.from = start;
    cursor.at = search(cursor.needle, bytes, start);
  }
  return cursor.at;
}

/**
 * Builds a predicate over line bytes that is false only for lines that
 * contain none of the ways `values` can be written: each value's unescaped
 * JSON string (`"RUN-1"`), or any backslash escape. Undefined when there is
 * nothing to filter on.
 */
export function createLinePrefilter(values: readonly string[]): LinePrefilter | undefined {
  if (values.length === 0) return undefined;
  const needles: Cursor[] = [];
  let onlyEscaped = false;
  for (const value of values) {
    // A value that must be escaped can only appear in a line with a backslash.
    if (needsEscape(value)) onlyEscaped = true;
    else needles.push({ needle: new NeedleSearch(Buffer.from(`"${value}"`, "utf8")), bytes: undefined, from: 0, at: -1 });
  }
  const backslash: Cursor = { needle: BACKSLASH, bytes: undefined, from: 0, at: -1 };
  const lineHasBackslash = (bytes: Buffer, source: Uint8Array, start: number, end: number): boolean => {
    const at = find(backslash, bytes, source, start, end);
    return at !== -1 && at < end;
  };
  const asBuffer = (source: Uint8Array): Buffer => (Buffer.isBuffer(source) ? source : Buffer.from(source.buffer, source.byteOffset, source.byteLength));
  const passes = (source: Uint8Array, start: number, end: number): boolean => {
    const bytes = asBuffer(source);
    if (onlyEscaped && !lineHasBackslash(bytes, source, start, end)) return false;
    for (const cursor of needles) {
      const at = find(cursor, bytes, source, start, end);
      // A needle holds no newline, so an occurrence before `end` lies inside this line.
      if ((at === -1 || at >= end) && !lineHasBackslash(bytes, source, start, end)) return false;
    }
    return true;
  };
  // A line that passes holds every needle or a backslash, so the next
  // occurrence of one needle (the longest, which a search skips through
  // fastest) or of a backslash is on the first line that may pass.
  const driver = needles.reduce<Cursor | undefined>((longest, cursor) => (longest === undefined || (cursor.needle as NeedleSearch).length > (longest.needle as NeedleSearch).length ? cursor : longest), undefined);
  const candidateAt = (source: Uint8Array, from: number): number => {
    const bytes = asBuffer(source);
    const slash = find(backslash, bytes, source, from, source.length);
    if (driver === undefined) return slash;
    const at = find(driver, bytes, source, from, source.length);
    return at === -1 || (slash !== -1 && slash < at) ? slash : at;
  };
  return Object.assign(passes, { candidateAt });
}
