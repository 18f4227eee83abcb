// `telemetry tail <path> [-n N] [-f] [filters] [--json]`: the last events,
// pretty, one per line; with -f, then every new one until Ctrl-C.
import { createEventMatcher, queryEvents } from "@telemetry/reader";
import { serializeEvent, type TelemetryEvent } from "@telemetry/schema";
import type { Command } from "../command.js";
import { buildEventFilter, FILTER_HELP, FILTER_OPTIONS } from "../event-filter.js";
import { ExitCode } from "../exit-code.js";
import { checkLogPath } from "../log-path.js";
import { formatEvent } from "../format-event.js";
import { followWithHistory } from "../follow-with-history.js";
import { OUTPUT_HELP, OUTPUT_OPTIONS, stdoutColors } from "../output-options.js";
import { parseCommandArgs, parseInteger } from "../parse-command-args.js";
import { countSkippedLines } from "../skipped-lines.js";

const OPTIONS = {
  ...FILTER_OPTIONS,
  ...OUTPUT_OPTIONS,
  lines: { type: "string", short: "n" },
  follow: { type: "boolean", short: "f" },
  retry: { type: "boolean", short: "F" },
} as const;

export const DEFAULT_TAIL_LINES = 10;

export const tailCommand: Command = {
  name: "tail",
  summary: "show the last events; -f follows new ones across rotation until Ctrl-C, -F waits for the log",
  help: `Usage: telemetry tail <path> [-n N] [-f | -F] [filters] [--json]

Prints the last N events (default ${DEFAULT_TAIL_LINES}) of <path> that match the filters,
one colored line each: time (UTC), type, run/task, agent, tool, status,
summary, and model/tokens/cost for cost_update events.
With -f, keeps running and prints each new matching event as it is
appended, following the log across rotation and truncation, until Ctrl-C
(exit code 0). The existing events are printed once they have all been read,
then new ones as they arrive: none missing, none twice.
With -F, also waits for a log that does not exist yet (printing all of its
events once it appears), and follows a log deleted and created again.

Options:
  -n, --lines N     how many existing events to show first (default ${DEFAULT_TAIL_LINES}; 0 for none)
  -f, --follow      wait for new events
  -F, --retry       like -f, and wait for <path> to appear (like tail -F)
${FILTER_HELP}
${OUTPUT_HELP}

Example:
  $ telemetry tail -f logs/events.jsonl --run RUN-20260213-002
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("tail", args, OPTIONS, { min: 1, max: 1, names: "<path>" });
    const path = positionals[0] ?? "";
    await checkLogPath(path);
    const filter = buildEventFilter(values, io.now());
    const lines = values.lines === undefined ? DEFAULT_TAIL_LINES : parseInteger(values.lines, "--lines", 0);
    const colors = stdoutColors(io, values);
    const print = (event: TelemetryEvent): void => {
      io.stdout.write(values.json === true ? `${serializeEvent(event)}\n` : `${formatEvent(event, colors)}\n`);
    };
    const skipped = countSkippedLines(io, "tail", path);

    if (values.follow !== true && values.retry !== true) {
      const newest: TelemetryEvent[] = [];
      if (lines > 0) for await (const event of queryEvents(path, { ...filter, order: "desc", limit: lines, onInvalid: skipped.onInvalid })) newest.push(event);
      for (const event of newest.reverse()) print(event);
      skipped.report();
      return ExitCode.OK;
    }

    await followWithHistory(path, {
      lines,
      signal: io.interruptSignal(),
      matches: createEventMatcher(filter),
      print,
      onInvalid: skipped.onInvalid,
      waitForLog: values.retry === true,
    });
    skipped.report();
    return ExitCode.OK;
  },
};
