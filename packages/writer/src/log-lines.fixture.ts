// Reads a log back for assertions: every line parsed with the schema, and
// fragments (torn or corrupt lines) reported separately. Blank lines are
// skipped, as every reader of the format skips them: a writer that finds the
// file's last byte is not "\n" starts its batch with one, and the last byte
// it saw may belong to another process's write still in progress.
import { readFileSync } from "node:fs";
import { safeParseEvent, type TelemetryEvent } from "@telemetry/schema";

export interface LogContents {
  readonly events: TelemetryEvent[];
  /** Lines that are not a valid event, with their 1-based line numbers. */
  readonly fragments: { line: number; text: string }[];
  readonly endsWithNewline: boolean;
  /** Empty lines (skipped by readers). */
  readonly blankLines: number;
}

export function readLog(path: string): LogContents {
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const events: TelemetryEvent[] = [];
  const fragments: { line: number; text: string }[] = [];
  let blankLines = 0;
  lines.forEach((line, index) => {
    if (line === "") {
      blankLines++;
      return;
    }
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
  return { events, fragments, endsWithNewline: text.length === 0 || text.endsWith("\n"), blankLines };
}

/** All events of `path` and its rotated files, oldest file first. */
export function readRotatedLog(path: string, maxBackups: number): LogContents {
  const all = { events: [] as TelemetryEvent[], fragments: [] as { line: number; text: string }[], endsWithNewline: true, blankLines: 0 };
  for (let n = maxBackups; n >= 0; n--) {
    const file = n === 0 ? path : `${path}.${n}`;
    let contents: LogContents;
    try {
      contents = readLog(file);
    } catch {
      continue;
    }
    all.events.push(...contents.events);
    all.blankLines += contents.blankLines;
    all.fragments.push(...contents.fragments.map((f) => ({ ...f, text: `${file}: ${f.text}` })));
  }
  return all;
}
