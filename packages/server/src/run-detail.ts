// What the run view needs beyond a run summary: each task's span, outcome,
// phases, tool executions, failures, tokens and cost, and the run's most
// recent lines. Built incrementally, one event at a time; memory is bounded
// by tasks and by the caps below, never by the number of events.
import { Buffer } from "node:buffer";
import type { TelemetryEvent } from "@telemetry/schema";
import { tokensOf } from "@telemetry/reader";
import type { FailureView, TaskOutcome, TaskView } from "@telemetry/web";

/** Lines kept per run for the run view; older ones are counted in `events_omitted` (the full list: `/api/events?run_id=`). */
export const RECENT_LINES_PER_RUN = 500;
/** Lines kept over all runs; the runs updated longest ago give theirs up first. */
export const RECENT_LINES_TOTAL = 200_000;
/** Executions kept per task; more are counted in `executions_omitted`. */
export const EXECUTIONS_PER_TASK = 1_000;

interface MutableExecution {
  tool: string | null;
  phase: string | null;
  mode: string | null;
  started_ts: string | null;
  ended_ts: string | null;
  status: string | null;
  summary: string | null;
  latency_ms: number | null;
  log_paths: Record<string, string>;
}

interface TaskState {
  task_id: string;
  agent_role: string | null;
  started_ts: string | null;
  first_ts: string;
  ended_ts: string | null;
  last_ts: string;
  outcome: TaskOutcome;
  summary: string | null;
  phases: Map<string, { first_ts: string; last_ts: string }>;
  executions: MutableExecution[];
  executions_omitted: number;
  failures: FailureView[];
  total_tokens: number;
  cost_usd: number;
  log_paths: Record<string, string>;
  events: number;
}

interface RunState {
  tasks: Map<string, TaskState>;
  /** Kept as bytes: a line read from a file may be a slice of a large decoded chunk that a kept string would pin in memory. */
  recent: Buffer[];
  /** Index of the oldest line in `recent` (a ring once full). */
  head: number;
  events: number;
}

// Timestamps of one log are nearly always in order; the string compare is
// exact for the writer's own UTC format, Date.parse covers other offsets.
function later(a: string, b: string): boolean {
  const da = Date.parse(a);
  const db = Date.parse(b);
  return Number.isNaN(da) || Number.isNaN(db) ? a > b : da > db || (da === db && a > b);
}

export interface RunDetailsLimits {
  readonly recentLinesPerRun?: number;
  readonly recentLinesTotal?: number;
  readonly executionsPerTask?: number;
}

export class RunDetails {
  readonly #perRun: number;
  readonly #total: number;
  readonly #executions: number;

  constructor(limits: RunDetailsLimits = {}) {
    this.#perRun = limits.recentLinesPerRun ?? RECENT_LINES_PER_RUN;
    this.#total = limits.recentLinesTotal ?? RECENT_LINES_TOTAL;
    this.#executions = limits.executionsPerTask ?? EXECUTIONS_PER_TASK;
  }

  readonly #runs = new Map<string, RunState>();
  /** Runs holding kept lines, least recently updated first (Map order): the first gives its lines up when over budget. */
  readonly #withLines = new Set<RunState>();
  #lines = 0;

  add(event: TelemetryEvent, line: string): void {
    const runId = event.run_id;
    if (runId === undefined) return;
    let run = this.#runs.get(runId);
    if (run === undefined) {
      run = { tasks: new Map(), recent: [], head: 0, events: 0 };
      this.#runs.set(runId, run);
    }
    run.events++;
    this.#remember(run, line);
    if (event.task_id !== undefined) this.#addToTask(run, event.task_id, event);
  }

  #remember(run: RunState, line: string): void {
    // Re-inserted at the end: insertion order doubles as least-recently-updated order.
    this.#withLines.delete(run);
    this.#withLines.add(run);
    const bytes = Buffer.from(line, "utf8");
    if (run.recent.length < this.#perRun) {
      run.recent.push(bytes);
      this.#lines++;
    } else {
      run.recent[run.head] = bytes;
      run.head = (run.head + 1) % this.#perRun;
    }
    while (this.#lines > this.#total) {
      const oldest = this.#withLines.values().next().value!;
      if (oldest === run) break;
      this.#withLines.delete(oldest);
      this.#lines -= oldest.recent.length;
      oldest.recent = [];
      oldest.head = 0;
    }
  }

  #addToTask(run: RunState, taskId: string, event: TelemetryEvent): void {
    let task = run.tasks.get(taskId);
    if (task === undefined) {
      task = {
        task_id: taskId,
        agent_role: null,
        started_ts: null,
        first_ts: event.ts,
        ended_ts: null,
        last_ts: event.ts,
        outcome: "unfinished",
        summary: null,
        phases: new Map(),
        executions: [],
        executions_omitted: 0,
        failures: [],
        total_tokens: 0,
        cost_usd: 0,
        log_paths: {},
        events: 0,
      };
      run.tasks.set(taskId, task);
    }
    task.events++;
    if (later(event.ts, task.last_ts)) task.last_ts = event.ts;
    if (later(task.first_ts, event.ts)) task.first_ts = event.ts;
    if (event.agent_role !== undefined) task.agent_role ??= event.agent_role;
    if (event.log_paths !== undefined) Object.assign(task.log_paths, event.log_paths);
    if (event.phase !== undefined) {
      const phase = task.phases.get(event.phase);
      if (phase === undefined) task.phases.set(event.phase, { first_ts: event.ts, last_ts: event.ts });
      else if (later(event.ts, phase.last_ts)) phase.last_ts = event.ts;
    }
    switch (event.event) {
      case "task_started":
        task.started_ts ??= event.ts;
        if (task.summary === null && event.summary !== undefined) task.summary = event.summary;
        break;
      case "task_completed":
      case "task_failed":
        task.outcome = event.event === "task_completed" ? "completed" : "failed";
        task.ended_ts = event.ts;
        if (event.summary !== undefined) task.summary = event.summary;
        if (event.event === "task_failed") task.failures.push({ ts: event.ts, event: "task_failed", tool: event.tool ?? null, summary: event.summary ?? null });
        break;
      case "execution_start":
        this.#startExecution(task, event);
        break;
      case "execution_complete":
        this.#completeExecution(task, event);
        break;
      case "cost_update":
        task.total_tokens += tokensOf(event);
        task.cost_usd += event.metrics?.cost_usd ?? 0;
        break;
    }
  }

  #startExecution(task: TaskState, event: TelemetryEvent): void {
    if (task.executions.length >= this.#executions) {
      task.executions_omitted++;
      return;
    }
    task.executions.push({
      tool: event.tool ?? null,
      phase: event.phase ?? null,
      mode: event.mode ?? null,
      started_ts: event.ts,
      ended_ts: null,
      status: event.status ?? null,
      summary: event.summary ?? null,
      latency_ms: null,
      log_paths: { ...event.log_paths },
    });
  }

  #completeExecution(task: TaskState, event: TelemetryEvent): void {
    const tool = event.tool ?? null;
    // The most recent open execution of the same tool: executions of one task run one after another.
    let open: MutableExecution | undefined;
    for (let i = task.executions.length - 1; i >= 0; i--) {
      const candidate = task.executions[i]!;
      if (candidate.ended_ts === null && candidate.tool === tool) {
        open = candidate;
        break;
      }
    }
    if (open === undefined) {
      if (task.executions.length >= this.#executions) {
        task.executions_omitted++;
      } else {
        open = { tool, phase: event.phase ?? null, mode: event.mode ?? null, started_ts: null, ended_ts: null, status: null, summary: null, latency_ms: null, log_paths: {} };
        task.executions.push(open);
      }
    }
    if (open !== undefined) {
      open.ended_ts = event.ts;
      open.status = event.status ?? open.status;
      if (event.summary !== undefined) open.summary = event.summary;
      open.latency_ms = event.metrics?.latency_ms ?? open.latency_ms;
      Object.assign(open.log_paths, event.log_paths);
    }
    if (event.status === "failed" || event.status === "error") {
      task.failures.push({ ts: event.ts, event: "execution_complete", tool, summary: event.summary ?? null });
    }
  }

  has(runId: string): boolean {
    return this.#runs.has(runId);
  }

  /** The run's tasks by first event time, and its kept lines oldest first. */
  get(runId: string): { tasks: TaskView[]; recentLines: string[]; events: number } | undefined {
    const run = this.#runs.get(runId);
    if (run === undefined) return undefined;
    const tasks = [...run.tasks.values()].map(
      (task): TaskView => ({
        task_id: task.task_id,
        agent_role: task.agent_role,
        started_ts: task.started_ts ?? task.first_ts,
        ended_ts: task.ended_ts,
        last_ts: task.last_ts,
        outcome: task.outcome,
        summary: task.summary,
        phases: [...task.phases].map(([phase, span]) => ({ phase, ...span })),
        executions: task.executions.map((execution) => ({ ...execution, log_paths: { ...execution.log_paths } })),
        executions_omitted: task.executions_omitted,
        failures: [...task.failures],
        total_tokens: task.total_tokens,
        cost_usd: task.cost_usd,
        log_paths: { ...task.log_paths },
        events: task.events,
      }),
    );
    tasks.sort((a, b) => (later(a.started_ts, b.started_ts) ? 1 : later(b.started_ts, a.started_ts) ? -1 : 0));
    const recentLines = [...run.recent.slice(run.head), ...run.recent.slice(0, run.head)].map((bytes) => bytes.toString("utf8"));
    return { tasks, recentLines, events: run.events };
  }
}
