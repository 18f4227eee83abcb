// Per-run summaries over any stream of events, in one pass (or one event at a time) and bounded by the
// number of runs and tasks (never by the number of events).
import type { TelemetryEvent } from "@telemetry/schema";
import { compareInstants, toInstant, type Instant } from "./instant.js";
import { DecimalSum } from "./decimal-sum.js";
import { tokensOf } from "./rollup-costs.js";

export interface RunSummary {
  readonly run_id: string;
  /** Earliest `ts` of the run's events (as written), compared as instants. */
  readonly first_ts: string;
  /** Latest `ts` of the run's events (as written). */
  readonly last_ts: string;
  /** `last_ts - first_ts` in milliseconds. */
  readonly duration_ms: number;
  /** Events seen for the run, of every type. */
  readonly events: number;
  /**
   * Distinct `task_id`s by final outcome: the last `task_completed` or
   * `task_failed` seen for a task decides; a task with neither is `unfinished`.
   */
  readonly tasks: { readonly total: number; readonly completed: number; readonly failed: number; readonly unfinished: number };
  /** Distinct `agent_role`s, in order of first appearance. */
  readonly agents: readonly string[];
  /** Distinct `tool`s, in order of first appearance. */
  readonly tools: readonly string[];
  /** Sum of tokens over the run's `cost_update` events (see `rollupCosts`). */
  readonly total_tokens: number;
  /** Sum of `metrics.cost_usd` over the run's `cost_update` events, exact (see `rollupCosts`). */
  readonly cost_usd: number;
}

interface RunState {
  first: Instant;
  firstTs: string;
  last: Instant;
  lastTs: string;
  events: number;
  readonly outcomes: Map<string, "completed" | "failed" | "unfinished">;
  readonly agents: Set<string>;
  readonly tools: Set<string>;
  tokens: number;
  readonly cost: DecimalSum;
}

/**
 * Per-run summaries kept up to date one event at a time (a live page adds
 * each appended event). Costs are exact sums of the decimals in the log.
 */
export class RunSummaryAccumulator {
  readonly #runs = new Map<string, RunState>();

  /** Counts the event into its run; events without a `run_id` are ignored. */
  add(event: TelemetryEvent): void {
    const runId = event.run_id;
    if (runId === undefined) return;
    const at = toInstant(event.ts) ?? { ms: Number.NaN, subMsNanos: 0 };
    let run = this.#runs.get(runId);
    if (run === undefined) {
      run = { first: at, firstTs: event.ts, last: at, lastTs: event.ts, events: 0, outcomes: new Map(), agents: new Set(), tools: new Set(), tokens: 0, cost: new DecimalSum() };
      this.#runs.set(runId, run);
    } else {
      if (compareInstants(at, run.first) < 0) {
        run.first = at;
        run.firstTs = event.ts;
      }
      if (compareInstants(at, run.last) >= 0) {
        run.last = at;
        run.lastTs = event.ts;
      }
    }
    run.events++;
    if (event.agent_role !== undefined) run.agents.add(event.agent_role);
    if (event.tool !== undefined) run.tools.add(event.tool);
    if (event.task_id !== undefined) {
      const previous = run.outcomes.get(event.task_id);
      if (event.event === "task_completed") run.outcomes.set(event.task_id, "completed");
      else if (event.event === "task_failed") run.outcomes.set(event.task_id, "failed");
      else if (previous === undefined) run.outcomes.set(event.task_id, "unfinished");
    }
    if (event.event === "cost_update") {
      run.tokens += tokensOf(event);
      run.cost.add(event.metrics?.cost_usd ?? 0);
    }
  }

  /** One summary per run, in order of each run's first event. */
  summaries(): RunSummary[] {
    return [...this.#runs].map(([run_id, run]) => {
      const tasks = { total: run.outcomes.size, completed: 0, failed: 0, unfinished: 0 };
      for (const outcome of run.outcomes.values()) tasks[outcome]++;
      return {
        run_id,
        first_ts: run.firstTs,
        last_ts: run.lastTs,
        // In whole nanoseconds first, so the division is the only rounding.
        duration_ms: ((run.last.ms - run.first.ms) * 1e6 + (run.last.subMsNanos - run.first.subMsNanos)) / 1e6,
        events: run.events,
        tasks,
        agents: [...run.agents],
        tools: [...run.tools],
        total_tokens: run.tokens,
        cost_usd: run.cost.value,
      };
    });
  }
}

/**
 * Summarizes every run (events with a `run_id`; others are ignored), in order
 * of each run's first event. Accepts any iterable or async iterable, e.g.
 * `readEvents(path)`.
 */
export async function summarizeRuns(events: AsyncIterable<TelemetryEvent> | Iterable<TelemetryEvent>): Promise<RunSummary[]> {
  const runs = new RunSummaryAccumulator();
  for await (const event of events) runs.add(event);
  return runs.summaries();
}
