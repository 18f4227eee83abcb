// Reading commands skip damaged lines like the reader does, but never
// silently: they count them and say so on stderr.
import type { InvalidLine } from "@telemetry/reader";
import type { InvalidFleetMessage } from "@telemetry/ship";
import type { CliIo } from "./cli-io.js";
import { formatCount } from "./format-number.js";

export interface SkippedLines {
  readonly onInvalid: (issue: InvalidLine) => void;
  /** The same for a fleet stream: a message that is not an event. */
  readonly onInvalidMessage: (issue: InvalidFleetMessage) => void;
  /** Writes the warning line if anything was skipped. */
  report(): void;
}

export function countSkippedLines(io: CliIo, command: string, path: string): SkippedLines {
  let count = 0;
  let first: string | undefined;
  let what = "line";
  return {
    onInvalid(issue) {
      count++;
      first ??= `${issue.file}:${issue.line}:${issue.offset}`;
    },
    onInvalidMessage(issue) {
      count++;
      what = "message";
      first ??= `stream ${issue.stream} sequence ${issue.seq} (${issue.subject}): ${issue.reason}`;
    },
    report() {
      if (count === 0 || first === undefined) return;
      const hint = what === "line" ? `; see: telemetry verify ${path}` : "";
      io.stderr.write(`telemetry ${command}: skipped ${formatCount(count)} invalid ${what}${count === 1 ? "" : "s"} (first at ${first}${hint})\n`);
    },
  };
}
