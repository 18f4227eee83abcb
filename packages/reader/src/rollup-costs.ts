// Cost roll-ups over any stream of events, grouped by any of UTC date, agent,
// tool and model; one pass (or one event at a time), memory bounded by the
// number of groups.
import type { TelemetryEvent } from "@telemetry/schema";
import { DecimalSum } from "./decimal-sum.js";

/** A grouping key of {@link rollupCosts}. `model` is `metrics.model`; `date` is the UTC calendar date of `ts`. */
export type CostGroupKey = "date" | "agent_role" | "tool" | "model";

export interface RollupOptions {
  /** Keys to group by, in the order they appear in each row. `[]` gives one grand-total row (none for no events). */
  readonly by: readonly CostGroupKey[];
}

/** One group. Only the keys named in `by` are present; a key is null where the events lack it. */
export interface CostRollupRow {
  readonly date?: string | null;
  readonly agent_role?: string | null;
  readonly tool?: string | null;
  readonly model?: string | null;
  /** `cost_update` events in the group. */
  readonly invocations: number;
  /** Sum of `metrics.total_tokens` (or prompt + completion tokens where the total is absent). */
  readonly total_tokens: number;
  /** Sum of `metrics.cost_usd`, exact: each cost added as the decimal the log holds, then rounded once to the nearest double. */
  readonly cost_usd: number;
}

/** Tokens an event accounts for: `total_tokens`, else prompt + completion, else 0. */
export function tokensOf(event: TelemetryEvent): number {
  const metrics = event.metrics;
  if (metrics === undefined) return 0;
  if (metrics.total_tokens !== undefined) return metrics.total_tokens;
  return (metrics.prompt_tokens ?? 0) + (metrics.completion_tokens ?? 0);
}

/** UTC `YYYY-MM-DD` of a timestamp; null when it cannot be read as an instant. */
function utcDate(ts: string): string | null {
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

function keyValue(event: TelemetryEvent, key: CostGroupKey): string | null {
  switch (key) {
    case "date":
      return utcDate(event.ts);
    case "agent_role":
      return event.agent_role ?? null;
    case "tool":
      return event.tool ?? null;
    case "model":
      return event.metrics?.model ?? null;
  }
}

interface Group {
  readonly keys: readonly (string | null)[];
  invocations: number;
  tokens: number;
  readonly cost: DecimalSum;
}

/** Groups nested one Map per key, so a key value needs no encoding (null stays distinct from "null"). */
type GroupTree = Map<string | null, GroupTree | Group>;

/**
 * The cost roll-up kept up to date one event at a time (a live page adds
 * each appended event). Totals are exact: costs are added as the decimals
 * the log holds, so they do not depend on the order of events or on what
 * was asked before, and carry no binary noise.
 */
export class CostRollupAccumulator {
  readonly #by: readonly CostGroupKey[];
  readonly #tree: GroupTree = new Map();
  /** Groups in order of their first event. */
  readonly #groups: Group[] = [];
  readonly #single: Group | undefined;

  /** @param by keys to group by, in the order they appear in each row; `[]` for one grand total. */
  constructor(by: readonly CostGroupKey[]) {
    this.#by = [...by];
    if (this.#by.length === 0) this.#single = { keys: [], invocations: 0, tokens: 0, cost: new DecimalSum() };
  }

  /** Counts the event if it is a `cost_update`; other types are ignored. */
  add(event: TelemetryEvent): void {
    if (event.event !== "cost_update") return;
    const group = this.#single ?? this.#groupOf(event);
    if (group === this.#single && group.invocations === 0) this.#groups.push(group);
    group.invocations++;
    group.tokens += tokensOf(event);
    group.cost.add(event.metrics?.cost_usd ?? 0);
  }

  #groupOf(event: TelemetryEvent): Group {
    let node = this.#tree;
    const last = this.#by.length - 1;
    for (let i = 0; i < last; i++) {
      const value = keyValue(event, this.#by[i]!);
      let next = node.get(value) as GroupTree | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(value, next);
      }
      node = next;
    }
    const value = keyValue(event, this.#by[last]!);
    let group = node.get(value) as Group | undefined;
    if (group === undefined) {
      group = { keys: this.#by.map((key) => keyValue(event, key)), invocations: 0, tokens: 0, cost: new DecimalSum() };
      node.set(value, group);
      this.#groups.push(group);
    }
    return group;
  }

  /** One row per group, in order of each group's first event. */
  rows(): CostRollupRow[] {
    return this.#groups.map((group) => {
      const row: Record<string, string | number | null> = {};
      this.#by.forEach((key, i) => (row[key] = group.keys[i] ?? null));
      row.invocations = group.invocations;
      row.total_tokens = group.tokens;
      row.cost_usd = group.cost.value;
      return row as unknown as CostRollupRow;
    });
  }
}

/**
 * Counts `cost_update` events (other types are ignored) and sums their tokens
 * and cost per group. Rows come in order of each group's first event.
 */
export async function rollupCosts(
  events: AsyncIterable<TelemetryEvent> | Iterable<TelemetryEvent>,
  options: RollupOptions,
): Promise<CostRollupRow[]> {
  const rollup = new CostRollupAccumulator(options.by);
  for await (const event of events) rollup.add(event);
  return rollup.rows();
}
