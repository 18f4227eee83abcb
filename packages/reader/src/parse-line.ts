// Turns one complete line (bytes or already-decoded text) into an event or a
// classified reason for skipping it. Browser-safe: no Node built-ins.
import { safeParseEvent, type TelemetryEvent } from "@telemetry/schema";
import type { InvalidLineKind } from "./invalid-line.js";

/** The longest excerpt a report carries, in characters. */
export const EXCERPT_CHARS = 200;

// fatal: invalid UTF-8 is a damaged line, not text to repair silently.
// ignoreBOM: the BOM is handled by the chunk parser, at the start of a file only.
export const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lossyDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Why a line is not an event. A class, so a result is told from an event with one instanceof. */
export class LineProblem {
  constructor(
    readonly kind: InvalidLineKind,
    readonly reason: string,
    readonly excerpt: string,
  ) {}
}

/** An event, a problem, or null for a whitespace-only line (skipped without a report). */
export type LineResult = TelemetryEvent | LineProblem | null;

/** Decodes `bytes` for an excerpt, never throwing on invalid UTF-8. */
export function excerptOf(bytes: Uint8Array, start: number, end: number): string {
  // 4 bytes per character at most, so this many bytes always cover the excerpt.
  return clip(lossyDecoder.decode(bytes.subarray(start, Math.min(end, start + EXCERPT_CHARS * 4))));
}

function clip(text: string): string {
  return text.length > EXCERPT_CHARS ? text.slice(0, EXCERPT_CHARS) : text;
}

/** Parses one line of text (no `\n`; a trailing `\r` is ignored). */
export function parseLineText(text: string): LineResult {
  if (text.length === 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Only classified once JSON.parse has failed, so valid lines pay nothing for it.
    if (text.includes("\0")) return new LineProblem("nul", "NUL bytes (a zero-filled region, e.g. after a power loss)", clip(text));
    if (text.trim() === "") return null;
    const detail = error instanceof Error ? error.message : String(error);
    return new LineProblem("json", `invalid JSON: ${detail}`, clip(text));
  }
  // safeParseEvent takes the schema's own fast path for ordinary events.
  const result = safeParseEvent(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  return new LineProblem("schema", `not a valid event: ${issues}`, clip(text));
}

/** The text of the line `bytes[start, end)` (without its `\n`; a trailing `\r` dropped), or why it has none. */
export function decodeLine(bytes: Uint8Array, start: number, end: number): string | LineProblem {
  if (end > start && bytes[end - 1] === 0x0d) end--;
  if (end === start) return "";
  try {
    return strictDecoder.decode(bytes.subarray(start, end));
  } catch {
    return new LineProblem("utf8", "invalid UTF-8", excerptOf(bytes, start, end));
  }
}

/** Parses the line `bytes[start, end)` (without its `\n`). */
export function parseLine(bytes: Uint8Array, start: number, end: number): LineResult {
  const text = decodeLine(bytes, start, end);
  return typeof text === "string" ? parseLineText(text) : text;
}
