// Reading commands skip damaged lines like the reader does, but never
// silently: they count them and say so on stderr.
import type { InvalidLine } from "@telemetry/reader";
import type { CliIo } from "./cli-io.js";
import { formatCount } from "./format-number.js";

export interface SkippedLines {
  readonly onInvalid: (issue: InvalidLine) => void;
  /** Writes the warning line if anything was skipped. */
  report(): void;
}

export function countSkippedLines(io: CliIo, command: string, path: string): SkippedLines {
  let count = 0;
  let first: InvalidLine | undefined;
  return {
    onInvalid(issue) {
      count++;
      first ??= issue;
    },
    report() {
      if (count === 0 || first === undefined) return;
      const where = `first at ${first.file}:${first.line}:${first.offset}`;
      io.stderr.write(
        `telemetry ${command}: skipped ${formatCount(count)} invalid line${count === 1 ? "" : "s"} (${where}; see: telemetry verify ${path})\n`,
      );
    },
  };
}
