// Turns the bytes of one complete line into an event or a classified reason
// for skipping it. Browser-safe: no Node built-ins, bytes in, values out.
import { safeParseEvent, type TelemetryEvent } from "@telemetry/schema";
import type { InvalidLineKind } from "./invalid-line.js";
import { fastValidate } from "./fast-validate.js";

/** The longest excerpt a report carries, in characters. */
export const EXCERPT_CHARS = 200;

// fatal: invalid UTF-8 is a damaged line, not text to repair silently.
// ignoreBOM: the BOM is stripped by the chunk parser, at the start of a file only.
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lossyDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

export type LineResult =
  | { readonly ok: true; readonly event: TelemetryEvent }
  | { readonly ok: false; readonly kind: InvalidLineKind; readonly reason: string; readonly excerpt: string };

/** Result for a line that holds only whitespace: skipped without a report. */
export const BLANK = null;

/** Decodes `bytes` for an excerpt, never throwing on invalid UTF-8. */
export function excerptOf(bytes: Uint8Array, start: number, end: number): string {
  // 4 bytes per character at most, so this many bytes always cover the excerpt.
  const text = lossyDecoder.decode(bytes.subarray(start, Math.min(end, start + EXCERPT_CHARS * 4)));
  return text.length > EXCERPT_CHARS ? text.slice(0, EXCERPT_CHARS) : text;
}

function clip(text: string): string {
  return text.length > EXCERPT_CHARS ? text.slice(0, EXCERPT_CHARS) : text;
}

/**
 * Parses the line `bytes[start, end)` (without its `\n`; one trailing `\r`
 * is dropped here). Returns {@link BLANK} for a whitespace-only line.
 */
export function parseLine(bytes: Uint8Array, start: number, end: number): LineResult | typeof BLANK {
  if (end > start && bytes[end - 1] === 0x0d) end--;
  if (end === start) return BLANK;
  let text: string;
  try {
    text = strictDecoder.decode(bytes.subarray(start, end));
  } catch {
    return { ok: false, kind: "utf8", reason: "invalid UTF-8", excerpt: excerptOf(bytes, start, end) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Only classified once JSON.parse has failed, so valid lines pay nothing for it.
    if (text.includes("\0")) {
      return { ok: false, kind: "nul", reason: "NUL bytes (a zero-filled region, e.g. after a power loss)", excerpt: clip(text) };
    }
    if (text.trim() === "") return BLANK;
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, kind: "json", reason: `invalid JSON: ${detail}`, excerpt: clip(text) };
  }
  if (fastValidate(value)) return { ok: true, event: value };
  const result = safeParseEvent(value);
  if (result.success) return { ok: true, event: result.data };
  const issues = result.error.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  return { ok: false, kind: "schema", reason: `not a valid event: ${issues}`, excerpt: clip(text) };
}
