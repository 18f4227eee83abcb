// Every reason a reader gives for skipping a line, worded in one place:
// torn, too long, NUL bytes, invalid UTF-8, bad JSON, not a valid event.
// Browser-safe: used by the chunk parser.
import type { InvalidLineKind } from "./invalid-line.js";

/** The longest excerpt a report carries, in characters. */
export const EXCERPT_CHARS = 200;

const lossyDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Why a line is not an event. A class, so a result is told from an event with one instanceof. */
export class LineProblem {
  constructor(
    readonly kind: InvalidLineKind,
    readonly reason: string,
    readonly excerpt: string,
  ) {}
}

/** Decodes `bytes` for an excerpt, never throwing on invalid UTF-8. */
export function excerptOf(bytes: Uint8Array, start: number, end: number): string {
  // 4 bytes per character at most, so this many bytes always cover the excerpt.
  return clip(lossyDecoder.decode(bytes.subarray(start, Math.min(end, start + EXCERPT_CHARS * 4))));
}

function clip(text: string): string {
  return text.length > EXCERPT_CHARS ? text.slice(0, EXCERPT_CHARS) : text;
}


/** An unterminated last line: the file ended (or was rotated away) in the middle of a write. */
export function tornProblem(bytes: Uint8Array, start: number, end: number, rawLength: number): LineProblem {
  return new LineProblem("torn", `torn last line: ${rawLength} byte(s) with no newline at the end of the input (an interrupted write)`, excerptOf(bytes, start, end));
}

/** A line longer than `maxLineBytes`; `head` holds its first bytes for the excerpt. */
export function tooLongProblem(lineBytes: number, maxLineBytes: number, unterminated: boolean, head: Uint8Array, start: number, end: number): LineProblem {
  const tail = unterminated ? " and no newline at the end of the input" : "";
  return new LineProblem("too_long", `line of ${lineBytes} bytes exceeds maxLineBytes (${maxLineBytes})${tail}`, excerptOf(head, start, end));
}

export function nulProblem(text: string): LineProblem {
  return new LineProblem("nul", "NUL bytes (a zero-filled region, e.g. after a power loss)", clip(text));
}

export function jsonProblem(error: unknown, text: string): LineProblem {
  const detail = error instanceof Error ? error.message : String(error);
  return new LineProblem("json", `invalid JSON: ${detail}`, clip(text));
}

export function schemaProblem(issues: readonly { readonly path: string; readonly message: string }[], text: string): LineProblem {
  return new LineProblem("schema", `not a valid event: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`, clip(text));
}

export function utf8Problem(bytes: Uint8Array, start: number, end: number): LineProblem {
  return new LineProblem("utf8", "invalid UTF-8", excerptOf(bytes, start, end));
}
