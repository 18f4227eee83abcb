// The JSON bodies of the HTTP API (docs/http-api.md), as types: produced by
// @telemetry/server, read by this page and by any other frontend. Types
// only: nothing here exists at run time.
import type { CostGroupKey, CostRollupRow, RunSummary } from "@telemetry/reader";
import type { TelemetryEvent } from "@telemetry/schema";

export type RunStatus = "running" | "failed" | "completed";

/** A run summary as `summarizeRuns` gives it, plus a status at a glance. */
export type RunView = RunSummary & {
  readonly status: RunStatus;
  /** The hosts the run's events came from, sorted: present only when serving a fleet's stream (`nats://`). */
  readonly hosts?: readonly string[];
};

export interface RunsPage {
  readonly runs: readonly RunView[];
  /** Runs matching the filter, before paging. */
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  /** Position token of the state these figures describe: `/api/stream?from=<position>` continues exactly after it. */
  readonly position: string;
}

export type TaskOutcome = "completed" | "failed" | "unfinished";

export interface ExecutionView {
  readonly tool: string | null;
  readonly phase: string | null;
  readonly mode: string | null;
  /** `ts` of `execution_start`; null when only the completion was seen. */
  readonly started_ts: string | null;
  /** `ts` of `execution_complete`; null while running. */
  readonly ended_ts: string | null;
  /** `status` of the completion (or of the start while running). */
  readonly status: string | null;
  readonly summary: string | null;
  readonly latency_ms: number | null;
  readonly log_paths: Readonly<Record<string, string>>;
}

export interface PhaseView {
  readonly phase: string;
  readonly first_ts: string;
  readonly last_ts: string;
}

export interface FailureView {
  readonly ts: string;
  readonly event: "task_failed" | "execution_complete";
  readonly tool: string | null;
  readonly summary: string | null;
}

export interface TaskView {
  readonly task_id: string;
  readonly agent_role: string | null;
  /** `ts` of the first `task_started` (else of the task's first event). */
  readonly started_ts: string;
  /** `ts` of the last `task_completed`/`task_failed`; null while the task is open. */
  readonly ended_ts: string | null;
  /** Latest `ts` of any of the task's events. */
  readonly last_ts: string;
  /** The last `task_completed` or `task_failed` decides, as in `summarizeRuns`. */
  readonly outcome: TaskOutcome;
  readonly summary: string | null;
  readonly phases: readonly PhaseView[];
  readonly executions: readonly ExecutionView[];
  readonly executions_omitted: number;
  readonly failures: readonly FailureView[];
  readonly total_tokens: number;
  readonly cost_usd: number;
  /** Every `log_paths` entry seen on the task's events, later ones winning. */
  readonly log_paths: Readonly<Record<string, string>>;
  readonly events: number;
}

/** `GET /api/runs/:run_id`. */
export interface RunDetail {
  readonly run: RunView;
  readonly tasks: readonly TaskView[];
  /** The run's newest events (at most 500), oldest first, as stored. */
  readonly events: readonly TelemetryEvent[];
  readonly events_total: number;
  readonly events_omitted: number;
  readonly position: string;
}

export interface CostsBody {
  readonly by: readonly CostGroupKey[];
  readonly rows: readonly CostRollupRow[];
  readonly totals: { readonly invocations: number; readonly total_tokens: number; readonly cost_usd: number };
  readonly position: string;
}

