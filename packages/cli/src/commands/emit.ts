// `telemetry emit <path> --type T ...`: appends one durable event (written
// and fsynced before the command exits) and prints the stored line.
import { createEvent, EVENT_TYPES, isEventType, serializeEvent, type EventInput } from "@telemetry/schema";
import { openEventWriter } from "@telemetry/writer";
import { CliUsageError } from "../cli-error.js";
import type { Command } from "../command.js";
import { ExitCode } from "../exit-code.js";
import { parseCommandArgs, parseInteger, parseNonNegativeNumber } from "../parse-command-args.js";

const OPTIONS = {
  type: { type: "string" },
  run: { type: "string" },
  task: { type: "string" },
  phase: { type: "string" },
  agent: { type: "string" },
  tool: { type: "string" },
  mode: { type: "string" },
  status: { type: "string" },
  summary: { type: "string" },
  model: { type: "string" },
  "prompt-tokens": { type: "string" },
  "completion-tokens": { type: "string" },
  "total-tokens": { type: "string" },
  cost: { type: "string" },
  "latency-ms": { type: "string" },
  attr: { type: "string", multiple: true },
  "log-path": { type: "string", multiple: true },
  ts: { type: "string" },
  id: { type: "string" },
  "max-size-bytes": { type: "string" },
  "max-backups": { type: "string" },
  quiet: { type: "boolean", short: "q" },
} as const;

export const emitCommand: Command = {
  name: "emit",
  summary: "append one durable event (for shell scripts)",
  help: `Usage: telemetry emit <path> --type T [fields] [metrics] [options]

Appends one event to the log at <path> (created with its parent directories
if missing) through @telemetry/writer, and exits only once the line is
fsynced. Prints the stored event as one JSON line (with its ts and event_id).

Fields:
  --type T                 required: ${EVENT_TYPES.join(", ")}
  --run ID, --task ID      run_id, task_id
  --phase P, --agent A     phase, agent_role
  --tool T, --mode M       tool, mode
  --status S               status
  --summary TEXT           summary
  --attr KEY=VALUE         attributes.KEY (a string); repeat for several
  --log-path NAME=PATH     log_paths.NAME; repeat for several
  --ts TIME                ISO 8601 time with offset (default: now, UTC)
  --id ID                  event_id (default: a random UUID)
Metrics (cost_update):
  --model M  --prompt-tokens N  --completion-tokens N  --total-tokens N
  --cost USD  --latency-ms MS
Options:
  --max-size-bytes N       rotate the log before it would exceed N bytes
  --max-backups N          rotated files to keep (default 1)
  -q, --quiet              print nothing

Example:
  $ telemetry emit logs/events.jsonl --type task_started --run RUN-7 --task build --agent coder --summary "compile"
  {"event":"task_started","ts":"2026-02-13T10:00:00.000Z","run_id":"RUN-7","task_id":"build","agent_role":"coder","summary":"compile","event_id":"..."}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("emit", args, OPTIONS, { min: 1, max: 1, names: "<path>" });
    const path = positionals[0] ?? "";
    // Validated before the writer opens, so a bad event leaves no file behind.
    const event = createEvent(buildEventInput(values));
    const writer = await openEventWriter({
      path,
      ...(values["max-size-bytes"] === undefined ? {} : { maxSizeBytes: parseInteger(values["max-size-bytes"], "--max-size-bytes") }),
      ...(values["max-backups"] === undefined ? {} : { maxBackups: parseInteger(values["max-backups"], "--max-backups") }),
    });
    try {
      const stored = await writer.emit(event);
      if (values.quiet !== true) io.stdout.write(`${serializeEvent(stored)}\n`);
    } finally {
      await writer.close();
    }
    return ExitCode.OK;
  },
};

interface EmitValues {
  type?: string | undefined;
  run?: string | undefined;
  task?: string | undefined;
  phase?: string | undefined;
  agent?: string | undefined;
  tool?: string | undefined;
  mode?: string | undefined;
  status?: string | undefined;
  summary?: string | undefined;
  model?: string | undefined;
  "prompt-tokens"?: string | undefined;
  "completion-tokens"?: string | undefined;
  "total-tokens"?: string | undefined;
  cost?: string | undefined;
  "latency-ms"?: string | undefined;
  attr?: string[] | undefined;
  "log-path"?: string[] | undefined;
  ts?: string | undefined;
  id?: string | undefined;
}

/**
 * Flags to an EventInput. Only the CLI's own concerns are checked here (flag
 * presence, number syntax, KEY=VALUE); every field rule is the schema's,
 * applied by the writer, whose error names the bad field.
 */
export function buildEventInput(values: EmitValues): EventInput {
  if (values.type === undefined) throw new CliUsageError(`--type is required (one of ${EVENT_TYPES.join(", ")})`);
  if (!isEventType(values.type)) throw new CliUsageError(`invalid --type "${values.type}": expected one of ${EVENT_TYPES.join(", ")}`);
  const input: Record<string, unknown> = { event: values.type };
  const copy = (field: string, value: string | undefined): void => {
    if (value !== undefined) input[field] = value;
  };
  copy("ts", values.ts);
  copy("run_id", values.run);
  copy("task_id", values.task);
  copy("phase", values.phase);
  copy("agent_role", values.agent);
  copy("tool", values.tool);
  copy("mode", values.mode);
  copy("status", values.status);
  copy("summary", values.summary);
  copy("event_id", values.id);

  const logPaths = keyValuePairs(values["log-path"], "--log-path");
  if (logPaths) input.log_paths = logPaths;

  const metrics: Record<string, string | number> = {};
  if (values.model !== undefined) metrics.model = values.model;
  const integers = [
    ["prompt-tokens", "prompt_tokens"],
    ["completion-tokens", "completion_tokens"],
    ["total-tokens", "total_tokens"],
  ] as const;
  for (const [flag, field] of integers) {
    const value = values[flag];
    if (value !== undefined) metrics[field] = parseInteger(value, `--${flag}`, 0);
  }
  if (values.cost !== undefined) metrics.cost_usd = parseNonNegativeNumber(values.cost, "--cost");
  if (values["latency-ms"] !== undefined) metrics.latency_ms = parseNonNegativeNumber(values["latency-ms"], "--latency-ms");
  if (Object.keys(metrics).length > 0) input.metrics = metrics;

  const attributes = keyValuePairs(values.attr, "--attr");
  if (attributes) input.attributes = attributes;
  return input as EventInput;
}

function keyValuePairs(pairs: readonly string[] | undefined, flag: string): Record<string, string> | undefined {
  if (pairs === undefined || pairs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new CliUsageError(`invalid ${flag} "${pair}": expected KEY=VALUE`);
    const key = pair.slice(0, eq);
    // Assigning it would set the object's prototype and silently drop the pair.
    if (key === "__proto__") throw new CliUsageError(`invalid ${flag} "${pair}": the key __proto__ is not allowed`);
    out[key] = pair.slice(eq + 1);
  }
  return out;
}
