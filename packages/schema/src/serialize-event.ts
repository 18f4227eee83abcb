// One event, one line: the only place an event becomes wire bytes.
import type { TelemetryEvent } from "./event-schema.js";

// JSON.stringify escapes \n and \r inside strings but leaves U+2028/U+2029
// raw; some line splitters (and JavaScript before ES2019) treat them as line
// breaks, so they are escaped too.
const LINE_SEPARATORS = /[\u2028\u2029]/g;

function withoutNulls(event: TelemetryEvent): object {
  for (const key in event) {
    if ((event as Record<string, unknown>)[key] == null) {
      const copy: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(event)) if (v != null) copy[k] = v;
      return copy;
    }
  }
  return event;
}

/**
 * Serializes an event as exactly one line of JSON with no trailing newline.
 * Absent and null top-level optional fields are omitted.
 */
export function serializeEvent(event: TelemetryEvent): string {
  const json = JSON.stringify(withoutNulls(event));
  return json.includes("\u2028") || json.includes("\u2029")
    ? json.replace(LINE_SEPARATORS, (c) => (c === "\u2028" ? "\\u2028" : "\\u2029"))
    : json;
}
