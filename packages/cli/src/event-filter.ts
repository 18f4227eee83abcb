// The filter flags `tail` and `query` share (--run, --type, --since, ...),
// turned into one filter object: `queryEvents` options, and for events that
// arrive one by one (`tail -f`, `stats`) the reader's `createEventMatcher`.
import { EVENT_TYPES, isEventType, type EventType } from "@telemetry/schema";
import { CliUsageError } from "./cli-error.js";
import { parseTimeArgument } from "./relative-time.js";

/** parseArgs option definitions for the filter flags. */
export const FILTER_OPTIONS = {
  run: { type: "string" },
  task: { type: "string" },
  type: { type: "string", multiple: true },
  agent: { type: "string" },
  tool: { type: "string" },
  status: { type: "string" },
  phase: { type: "string" },
  mode: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
} as const;

export const FILTER_HELP = `Filters (all must match):
  --run ID          run_id equals ID
  --task ID         task_id equals ID
  --type T          event type; repeat for several (--type task_failed --type cost_update)
  --agent A         agent_role equals A
  --tool T          tool equals T
  --status S        status equals S
  --phase P         phase equals P
  --mode M          mode equals M
  --since TIME      at or after TIME: 30m, 2h, 7d, 2026-02-13, 2026-02-13T10:00:00Z
  --until TIME      before TIME (same forms)`;

export interface EventFilter {
  event?: EventType[];
  run_id?: string;
  task_id?: string;
  agent_role?: string;
  tool?: string;
  status?: string;
  phase?: string;
  mode?: string;
  since?: Date;
  until?: Date;
}

export interface FilterValues {
  run?: string | undefined;
  task?: string | undefined;
  type?: string[] | undefined;
  agent?: string | undefined;
  tool?: string | undefined;
  status?: string | undefined;
  phase?: string | undefined;
  mode?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

/** Validates the flag values (event types, times) and builds the filter. */
export function buildEventFilter(values: FilterValues, now: Date): EventFilter {
  const filter: EventFilter = {};
  if (values.type !== undefined) {
    // `--type a,b` is accepted as well as repeating the flag.
    const types = values.type.flatMap((t) => t.split(",")).map((t) => t.trim()).filter((t) => t !== "");
    for (const type of types) {
      if (!isEventType(type)) throw new CliUsageError(`invalid --type "${type}": expected one of ${EVENT_TYPES.join(", ")}`);
    }
    filter.event = types as EventType[];
  }
  if (values.run !== undefined) filter.run_id = values.run;
  if (values.task !== undefined) filter.task_id = values.task;
  if (values.agent !== undefined) filter.agent_role = values.agent;
  if (values.tool !== undefined) filter.tool = values.tool;
  if (values.status !== undefined) filter.status = values.status;
  if (values.phase !== undefined) filter.phase = values.phase;
  if (values.mode !== undefined) filter.mode = values.mode;
  if (values.since !== undefined) filter.since = parseTimeArgument(values.since, now, "--since");
  if (values.until !== undefined) filter.until = parseTimeArgument(values.until, now, "--until");
  if (filter.since && filter.until && filter.since.getTime() >= filter.until.getTime()) {
    throw new CliUsageError(`--since (${filter.since.toISOString()}) must be before --until (${filter.until.toISOString()})`);
  }
  return filter;
}
