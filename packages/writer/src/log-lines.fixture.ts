// Reads a log back for assertions: every line parsed with the schema, and
// fragments (torn or corrupt lines) reported separately.
import { readFileSync } from "node:fs";
import { safeParseEvent, type TelemetryEvent } from "@telemetry/schema";

export interface LogContents {
  readonly events: TelemetryEvent[];
  /** Lines that are not a valid event, with their 1-based line numbers. */
  readonly fragments: { line: number; text: string }[];
  readonly endsWithNewline: boolean;
}

export function readLog(path: string): LogContents {
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const events: TelemetryEvent[] = [];
  const fragments: { line: number; text: string }[] = [];
  lines.forEach((line, index) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      fragments.push({ line: index + 1, text: line });
      return;
    }
    const parsed = safeParseEvent(value);
    if (parsed.success) events.push(parsed.data);
    else fragments.push({ line: index + 1, text: line });
  });
  return { events, fragments, endsWithNewline: text.length === 0 || text.endsWith("\n") };
}

/** All events of `path` and its rotated files, oldest file first. */
export function readRotatedLog(path: string, maxBackups: number): LogContents {
  const all: LogContents = { events: [], fragments: [], endsWithNewline: true };
  for (let n = maxBackups; n >= 0; n--) {
    const file = n === 0 ? path : `${path}.${n}`;
    let contents: LogContents;
    try {
      contents = readLog(file);
    } catch {
      continue;
    }
    all.events.push(...contents.events);
    all.fragments.push(...contents.fragments.map((f) => ({ ...f, text: `${file}: ${f.text}` })));
  }
  return all;
}
