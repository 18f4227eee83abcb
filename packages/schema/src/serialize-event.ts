// One event, one line: the only place an event becomes wire bytes.
import { EVENT_FIELDS, type TelemetryEvent } from "./event-schema.js";

// JSON.stringify escapes \n and \r inside strings but leaves U+0085 (NEL),
// U+2028 and U+2029 raw; some line splitters treat them as line breaks
// (Python's str.splitlines() splits on all three, JavaScript before ES2019 on
// the last two), so they are escaped too.
const LINE_SEPARATORS = /[\u0085\u2028\u2029]/g;


const KNOWN_FIELDS: ReadonlySet<string> = new Set(EVENT_FIELDS);

/** Drops null known fields (absent, in the wire format); a newer writer's unknown fields pass as they are. */
function withoutNulls(event: TelemetryEvent): object {
  for (const key in event) {
    if ((event as Record<string, unknown>)[key] === null && KNOWN_FIELDS.has(key)) {
      const copy: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(event)) if (v !== null || !KNOWN_FIELDS.has(k)) copy[k] = v;
      return copy;
    }
  }
  return event;
}

/**
 * Serializes an event as exactly one line of JSON with no trailing newline.
 * Absent and null optional fields of the format are omitted; unknown fields
 * (kept by readers for forward compatibility) are written as they are.
 */
export function serializeEvent(event: TelemetryEvent): string {
  return escapeLineSeparators(JSON.stringify(withoutNulls(event)));
}

/** The JSON of an event with the line separators JSON.stringify leaves raw escaped. */
export function escapeLineSeparators(json: string): string {
  return json.includes("\u0085") || json.includes("\u2028") || json.includes("\u2029") ? json.replace(LINE_SEPARATORS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : json;
}
