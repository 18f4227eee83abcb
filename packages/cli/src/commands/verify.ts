// `telemetry verify <path>`: reads the live and rotated files and lists every
// line a reader would skip, as file:line:offset reason. Exit 1 when any.
import { readEvents, type InvalidLine } from "@telemetry/reader";
import type { Command } from "../command.js";
import { ExitCode } from "../exit-code.js";
import { formatCount } from "../format-number.js";
import { oneLine } from "../format-event.js";
import { checkLogPath } from "../log-path.js";
import { trackLogProgress } from "../log-progress.js";
import { OUTPUT_HELP, OUTPUT_OPTIONS, stdoutColors } from "../output-options.js";
import { parseCommandArgs } from "../parse-command-args.js";
import { createProgress } from "../progress-line.js";

const OPTIONS = {
  ...OUTPUT_OPTIONS,
  "no-rotated": { type: "boolean" },
} as const;

export const verifyCommand: Command = {
  name: "verify",
  summary: "check a log and its rotated files; list every invalid line (exit 1 if any)",
  help: `Usage: telemetry verify <path> [--json] [--no-rotated]

Reads <path>.N .. <path>.1 and then <path>, and lists every line a reader
would skip (torn tail, bad JSON, NUL bytes, invalid UTF-8, schema violations,
overlong lines) as:
  <file>:<line>:<byte offset> <reason>
Line numbers are 1-based; the offset is the byte where the line starts.
Nothing is modified. On a terminal, a progress line (events read of the
estimated total, rate, ETA) is shown on stderr while it reads.

Options:
  --no-rotated      check only <path>, not its rotated files
${OUTPUT_HELP}
  (--json prints each invalid line as {"file","line","offset","reason","excerpt","kind"})

Exit codes: 0 every line is valid, 1 invalid lines found, 2 usage error.

Example:
  $ telemetry verify logs/events.jsonl
  logs/events.jsonl:171:55650 torn last line: 83 byte(s) with no newline at the end of the input (an interrupted write)
  170 valid events, 1 invalid line
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("verify", args, OPTIONS, { min: 1, max: 1, names: "<path>" });
    const path = positionals[0] ?? "";
    const colors = stdoutColors(io, values);
    await checkLogPath(path);
    const rotated = values["no-rotated"] !== true;
    const progress = createProgress(io, { json: values.json });
    const tracked = await trackLogProgress(progress, { path, phase: "verifying", rotated });
    // Counted, not kept: a badly damaged log must not grow our memory.
    let invalid = 0;
    let valid = 0;
    const onInvalid = (issue: InvalidLine): void => {
      invalid++;
      progress.hide();
      io.stdout.write(
        values.json === true
          ? `${JSON.stringify(issue)}\n`
          : `${colors.bold(`${issue.file}:${issue.line}:${issue.offset}`)} ${colors.red(oneLine(issue.reason))}\n`,
      );
    };
    try {
      for await (const event of readEvents(path, { rotated, onInvalid })) {
        valid++;
        tracked.onEvent(event);
      }
      tracked.done();
    } finally {
      progress.finish();
    }

    if (values.json !== true) {
      const summary = `${formatCount(valid)} valid event${valid === 1 ? "" : "s"}, ${formatCount(invalid)} invalid line${invalid === 1 ? "" : "s"}`;
      io.stdout.write(`${invalid === 0 ? colors.green(summary) : colors.red(summary)}\n`);
    }
    return invalid === 0 ? ExitCode.OK : ExitCode.PROBLEMS;
  },
};
