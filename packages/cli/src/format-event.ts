// The human rendering of one event: one terminal line, the fields a person
// scans for (time, type, run/task, agent, tool, status, summary, cost).
import type { EventType, TelemetryEvent } from "@telemetry/schema";
import type { Colors } from "./color.js";
import { formatCount, formatDuration, formatUsd } from "./format-number.js";

// The longest type name, "execution_complete", so types line up in a column.
const TYPE_WIDTH = 18;

// C0/C1 controls, DEL and the Unicode line/paragraph separators would break
// the one-line promise or move the cursor; they are shown escaped instead.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Makes arbitrary text safe to print inside one terminal line. */
export function oneLine(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (c) => NAMED_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** `2026-02-13T10:05:23.330081+00:00` -> `2026-02-13 10:05:23.330` (UTC), whatever the stored offset. */
export function formatTimestamp(ts: string): string {
  const ms = Date.parse(ts);
  if (Number.isNaN(ms)) return oneLine(ts);
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

function typeColor(type: EventType, colors: Colors): (text: string) => string {
  switch (type) {
    case "task_started":
      return colors.cyan;
    case "task_completed":
      return colors.green;
    case "task_failed":
      return (text) => colors.bold(colors.red(text));
    case "execution_start":
    case "execution_complete":
      return colors.blue;
    case "cost_update":
      return colors.yellow;
  }
}

const FAILURE_STATUSES = new Set(["failed", "failure", "error", "timeout", "cancelled", "canceled"]);
const SUCCESS_STATUSES = new Set(["completed", "success", "succeeded", "ok", "done"]);

function statusColor(status: string, colors: Colors): string {
  const key = status.toLowerCase();
  if (FAILURE_STATUSES.has(key)) return colors.red(status);
  if (SUCCESS_STATUSES.has(key)) return colors.green(status);
  return status;
}

function metricsText(event: TelemetryEvent): string | undefined {
  const m = event.metrics;
  if (!m) return undefined;
  const parts: string[] = [];
  if (m.model !== undefined) parts.push(oneLine(m.model));
  const tokens = m.total_tokens ?? (m.prompt_tokens ?? 0) + (m.completion_tokens ?? 0);
  if (m.total_tokens !== undefined || m.prompt_tokens !== undefined || m.completion_tokens !== undefined) {
    parts.push(`${formatCount(tokens)} tok`);
  }
  if (m.cost_usd !== undefined) parts.push(formatUsd(m.cost_usd));
  if (m.latency_ms !== undefined) parts.push(formatDuration(m.latency_ms));
  return parts.length > 0 ? `[${parts.join(" ")}]` : undefined;
}

/**
 * One event as one line, no trailing newline:
 * `2026-02-13 10:05:23.330 task_failed        RUN-1/task-3 agent=coder tool=codex status=failed  tests failed [gpt-4o 1,234 tok $0.0123 850ms]`
 * Absent fields are left out rather than shown empty.
 */
export function formatEvent(event: TelemetryEvent, colors: Colors): string {
  const parts: string[] = [colors.dim(formatTimestamp(event.ts)), typeColor(event.event, colors)(event.event.padEnd(TYPE_WIDTH))];

  const where = [event.run_id, event.task_id].filter((v) => v !== undefined).map(oneLine).join("/");
  if (where) parts.push(colors.cyan(where));
  const field = (name: string, value: string | undefined, paint: (v: string) => string = (v) => v): void => {
    if (value !== undefined) parts.push(`${colors.dim(`${name}=`)}${paint(oneLine(value))}`);
  };
  field("phase", event.phase);
  field("agent", event.agent_role, colors.magenta);
  field("tool", event.tool);
  field("status", event.status, (v) => statusColor(v, colors));

  let line = parts.join(" ").trimEnd();
  if (event.summary !== undefined && event.summary !== "") line += `  ${oneLine(event.summary)}`;
  const metrics = metricsText(event);
  if (metrics !== undefined) line += ` ${colors.yellow(metrics)}`;
  return line;
}
