// `telemetry stats <path> [--by run|day|agent|tool|model]`: per-run
// summaries or cost roll-ups, as a table or JSON lines.
import { rollupCosts, summarizeRuns, type CostGroupKey } from "@telemetry/reader";
import { CliUsageError } from "../cli-error.js";
import type { Command } from "../command.js";
import { buildEventFilter, FILTER_HELP, FILTER_OPTIONS } from "../event-filter.js";
import { ExitCode } from "../exit-code.js";
import { sourceEvents } from "../event-sources.js";
import { checkLogPath } from "../log-path.js";
import { OUTPUT_HELP, OUTPUT_OPTIONS, stdoutColors } from "../output-options.js";
import { parseCommandArgs } from "../parse-command-args.js";
import { countSkippedLines } from "../skipped-lines.js";
import { renderCostTable, renderRunTable, sortRollup } from "../summary-tables.js";

const OPTIONS = { ...FILTER_OPTIONS, ...OUTPUT_OPTIONS, by: { type: "string" } } as const;

/** `--by` values and the roll-up key each one means. */
const COST_KEYS: Readonly<Record<string, { key: CostGroupKey; header: string }>> = {
  day: { key: "date", header: "day (UTC)" },
  agent: { key: "agent_role", header: "agent" },
  tool: { key: "tool", header: "tool" },
  model: { key: "model", header: "model" },
};

export const statsCommand: Command = {
  name: "stats",
  summary: "a table of runs, or of costs by day, agent, tool or model",
  help: `Usage: telemetry stats <path|nats://HOST:PORT/STREAM> [--by run|day|agent|tool|model] [filters] [--json]

--by run (default): one row per run_id: when it started, how long it ran,
events, tasks by final outcome, agents, tokens and cost.
--by day|agent|tool|model: cost_update events grouped by UTC day,
agent_role, tool or metrics.model: invocations, tokens and cost.
Days are listed oldest first; other groups by cost, highest first.
Reads rotated files too; lines that cannot be read are skipped and counted
on stderr. A nats://HOST:PORT/STREAM source summarizes a fleet's JetStream
stream: every host's events (see docs/fleet.md).

${FILTER_HELP}
${OUTPUT_HELP}

Example:
  $ telemetry stats logs/events.jsonl --by model
  model              invocations  tokens   cost
  -----------------  -----------  -------  -------
  claude-3.5-sonnet           41  143,020  $1.2931
  gpt-4o-mini                 17   51,230  $0.0307
  total                       58  194,250  $1.3238
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("stats", args, OPTIONS, { min: 1, max: 1, names: "<path>" });
    const path = positionals[0] ?? "";
    await checkLogPath(path);
    const by = values.by ?? "run";
    if (by !== "run" && !(by in COST_KEYS)) {
      throw new CliUsageError(`invalid --by "${by}": expected one of run, ${Object.keys(COST_KEYS).join(", ")}`);
    }
    const filter = buildEventFilter(values, io.now());
    const colors = stdoutColors(io, values);
    const skipped = countSkippedLines(io, "stats", path);
    // Streamed through the query, so filters keep its byte-level pre-filter.
    const events = sourceEvents(path, { ...filter, onInvalid: skipped.onInvalid, onInvalidMessage: skipped.onInvalidMessage });

    const costKey = COST_KEYS[by];
    if (costKey === undefined) {
      const runs = await summarizeRuns(events);
      if (runs.length === 0) {
        // An empty run table would look like an empty log: imported legacy invocations, for one, carry no run_id.
        io.stderr.write(`telemetry stats: no runs in ${path}: no event has a run_id (imported legacy invocations have none); group costs instead: ${io.programName} stats ${path} --by model|day|agent|tool\n`);
        skipped.report();
        return ExitCode.OK;
      }
      io.stdout.write(values.json === true ? jsonLines(runs) : `${renderRunTable(runs, colors)}\n`);
    } else {
      const rows = sortRollup(await rollupCosts(events, { by: [costKey.key] }), costKey.key);
      io.stdout.write(values.json === true ? jsonLines(rows) : `${renderCostTable(rows, costKey.key, costKey.header, colors)}\n`);
    }
    skipped.report();
    return ExitCode.OK;
  },
};

function jsonLines(rows: readonly object[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join("");
}


