// `telemetry query <path> [filters] [--limit N] [--desc] [--json]`: the
// events that match, oldest first (or newest first with --desc).
import { queryEvents } from "@telemetry/reader";
import { serializeEvent } from "@telemetry/schema";
import type { Command } from "../command.js";
import { buildEventFilter, FILTER_HELP, FILTER_OPTIONS } from "../event-filter.js";
import { ExitCode } from "../exit-code.js";
import { isNatsSource, queryFleet } from "../event-sources.js";
import { checkLogPath } from "../log-path.js";
import { formatEvent } from "../format-event.js";
import { OUTPUT_HELP, OUTPUT_OPTIONS, stdoutColors } from "../output-options.js";
import { parseCommandArgs, parseInteger } from "../parse-command-args.js";
import { countSkippedLines } from "../skipped-lines.js";

const OPTIONS = {
  ...FILTER_OPTIONS,
  ...OUTPUT_OPTIONS,
  limit: { type: "string", short: "n" },
  desc: { type: "boolean" },
} as const;

export const queryCommand: Command = {
  name: "query",
  summary: "print the events that match filters (run, task, type, agent, tool, status, time)",
  help: `Usage: telemetry query <path|nats://HOST:PORT/STREAM> [filters] [--limit N] [--desc] [--json]

Prints the events of <path> and its rotated files that match every filter,
oldest first, one per line. Times are shown in UTC. Lines that cannot be read
are skipped and counted on stderr (see: telemetry verify).

A nats://HOST:PORT/STREAM source queries a fleet's JetStream stream (see
docs/fleet.md): every host's events, in stream order (each host's in its log
order).

${FILTER_HELP}
Selection:
  -n, --limit N     at most N events (with --desc: the newest N)
  --desc            newest first
${OUTPUT_HELP}
  (--json prints each event exactly as stored, one JSON object per line)

Example:
  $ telemetry query logs/events.jsonl --type task_failed --since 2h
  2026-02-13 10:41:07.512 task_failed        RUN-20260213-002/task-06 phase=implementation agent=coder status=failed  tests failed: 3 of 41
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("query", args, OPTIONS, { min: 1, max: 1, names: "<path>" });
    const path = positionals[0] ?? "";
    await checkLogPath(path);
    const filter = buildEventFilter(values, io.now());
    const colors = stdoutColors(io, values);
    const skipped = countSkippedLines(io, "query", path);
    const options = {
      ...filter,
      order: values.desc === true ? ("desc" as const) : ("asc" as const),
      ...(values.limit === undefined ? {} : { limit: parseInteger(values.limit, "--limit") }),
      onInvalid: skipped.onInvalid,
      onInvalidMessage: skipped.onInvalidMessage,
    };
    if (isNatsSource(path)) {
      // The fleet's events carry their host: shown before each line (as tail shows it), or kept as stored with --json.
      for await (const entry of queryFleet(path, options)) {
        io.stdout.write(values.json === true ? `${entry.line}\n` : `${colors.dim(entry.host)} ${formatEvent(entry.event, colors)}\n`);
      }
      skipped.report();
      return ExitCode.OK;
    }
    const events = queryEvents(path, options);
    // Streamed: the first matches print while the rest of the log is read, in constant memory.
    for await (const event of events) {
      io.stdout.write(values.json === true ? `${serializeEvent(event)}\n` : `${formatEvent(event, colors)}\n`);
    }
    skipped.report();
    return ExitCode.OK;
  },
};
