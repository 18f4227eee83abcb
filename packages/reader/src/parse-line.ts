// Turns one complete line (bytes or already-decoded text) into an event or a
// classified reason for skipping it. Browser-safe: no Node built-ins.
import { safeParseEvent, type TelemetryEvent } from "@telemetry/schema";
import { jsonProblem, nulProblem, schemaProblem, utf8Problem, type LineProblem } from "./line-problems.js";

// fatal: invalid UTF-8 is a damaged line, not text to repair silently.
// ignoreBOM: the BOM is handled by the chunk parser, at the start of a file only.
export const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** An event, a problem, or null for a whitespace-only line (skipped without a report). */
export type LineResult = TelemetryEvent | LineProblem | null;

/** Parses one line of text (no `\n`; a trailing `\r` is ignored). */
export function parseLineText(text: string): LineResult {
  if (text.length === 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Only classified once JSON.parse has failed, so valid lines pay nothing for it.
    if (text.includes("\0")) return nulProblem(text);
    if (text.trim() === "") return null;
    return jsonProblem(error, text);
  }
  // safeParseEvent takes the schema's own fast path for ordinary events.
  const result = safeParseEvent(value);
  if (result.success) return result.data;
  return schemaProblem(result.error.issues, text);
}

/** The text of the line `bytes[start, end)` (without its `\n`; a trailing `\r` dropped), or why it has none. */
export function decodeLine(bytes: Uint8Array, start: number, end: number): string | LineProblem {
  if (end > start && bytes[end - 1] === 0x0d) end--;
  if (end === start) return "";
  try {
    return strictDecoder.decode(bytes.subarray(start, end));
  } catch {
    return utf8Problem(bytes, start, end);
  }
}

/** Parses the line `bytes[start, end)` (without its `\n`). */
export function parseLine(bytes: Uint8Array, start: number, end: number): LineResult {
  const text = decodeLine(bytes, start, end);
  return typeof text === "string" ? parseLineText(text) : text;
}
