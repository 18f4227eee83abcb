// Cost roll-ups over any stream of events, grouped by any of UTC date, agent,
// tool and model; one pass, memory bounded by the number of groups.
import type { TelemetryEvent } from "@telemetry/schema";

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
  /** Sum of `metrics.cost_usd`, added left to right in stream order (as SQLite's SUM does). */
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
  keys: (string | null)[];
  invocations: number;
  tokens: number;
  cost: number;
}

/**
 * Counts `cost_update` events (other types are ignored) and sums their tokens
 * and cost per group. Rows come in order of each group's first event.
 */
export async function rollupCosts(
  events: AsyncIterable<TelemetryEvent> | Iterable<TelemetryEvent>,
  options: RollupOptions,
): Promise<CostRollupRow[]> {
  const by = [...options.by];
  const groups = new Map<string, Group>();
  for await (const event of events) {
    if (event.event !== "cost_update") continue;
    const keys = by.map((key) => keyValue(event, key));
    // JSON keeps null distinct from the string "null".
    const id = JSON.stringify(keys);
    let group = groups.get(id);
    if (group === undefined) {
      group = { keys, invocations: 0, tokens: 0, cost: 0 };
      groups.set(id, group);
    }
    group.invocations++;
    group.tokens += tokensOf(event);
    group.cost += event.metrics?.cost_usd ?? 0;
  }
  return [...groups.values()].map((group) => {
    const row: Record<string, string | number | null> = {};
    by.forEach((key, i) => (row[key] = group.keys[i] ?? null));
    row.invocations = group.invocations;
    row.total_tokens = group.tokens;
    row.cost_usd = group.cost;
    return row as unknown as CostRollupRow;
  });
}
