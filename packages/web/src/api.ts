// The page's view of the server's HTTP API (docs/http-api.md). Only the
// fields the page reads are typed here; the server owns the full contract.
import type { TelemetryEvent } from "@telemetry/schema";

export type RunStatus = "running" | "failed" | "completed";

export interface RunView {
  readonly run_id: string;
  readonly first_ts: string;
  readonly last_ts: string;
  readonly duration_ms: number;
  readonly events: number;
  readonly tasks: { readonly total: number; readonly completed: number; readonly failed: number; readonly unfinished: number };
  readonly agents: readonly string[];
  readonly tools: readonly string[];
  readonly total_tokens: number;
  readonly cost_usd: number;
  readonly status: RunStatus;
}

export interface RunsPage {
  readonly runs: readonly RunView[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly position: string;
}

export interface ExecutionView {
  readonly tool: string | null;
  readonly phase: string | null;
  readonly started_ts: string | null;
  readonly ended_ts: string | null;
  readonly status: string | null;
  readonly summary: string | null;
  readonly latency_ms: number | null;
}

export interface TaskView {
  readonly task_id: string;
  readonly agent_role: string | null;
  readonly started_ts: string;
  readonly ended_ts: string | null;
  readonly last_ts: string;
  readonly outcome: "completed" | "failed" | "unfinished";
  readonly summary: string | null;
  readonly phases: readonly { readonly phase: string; readonly first_ts: string; readonly last_ts: string }[];
  readonly executions: readonly ExecutionView[];
  readonly executions_omitted: number;
  readonly failures: readonly { readonly ts: string; readonly event: string; readonly tool: string | null; readonly summary: string | null }[];
  readonly total_tokens: number;
  readonly cost_usd: number;
  readonly log_paths: Readonly<Record<string, string>>;
  readonly events: number;
}

export interface RunDetail {
  readonly run: RunView;
  readonly tasks: readonly TaskView[];
  readonly events: readonly TelemetryEvent[];
  readonly events_total: number;
  readonly events_omitted: number;
  readonly position: string;
}

export interface CostRow {
  readonly date?: string | null;
  readonly model?: string | null;
  readonly agent_role?: string | null;
  readonly tool?: string | null;
  readonly invocations: number;
  readonly total_tokens: number;
  readonly cost_usd: number;
}

export interface CostsBody {
  readonly rows: readonly CostRow[];
  readonly totals: { readonly invocations: number; readonly total_tokens: number; readonly cost_usd: number };
  readonly position: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GET a JSON route; the token travels as the cookie the server set when the page was opened with `?token=`. */
export async function getJson<T>(path: string, params: Readonly<Record<string, string | number | undefined>> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== "") query.set(name, String(value));
  const qs = query.toString();
  const response = await fetch(qs === "" ? path : `${path}?${qs}`, { headers: { accept: "application/json" } });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      if (body.error?.message !== undefined) message = body.error.message;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}
