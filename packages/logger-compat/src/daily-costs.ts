// Daily cost rows (the legacy `daily_costs` table) from a day's events,
// aggregated by the reader's `rollupCosts`.
import { rollupCosts } from "@telemetry/reader";
import type { TelemetryEvent } from "@telemetry/schema";

/** One row of the legacy `daily_costs` table. */
export interface DailyCostRow {
  /** UTC calendar date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly agent_name: string | null;
  readonly tool_name: string;
  readonly model_name: string;
  readonly invocations: number;
  readonly total_tokens: number;
  readonly total_cost_usd: number;
}

/**
 * Groups compat events by UTC date, agent, tool and model. Rows come out with
 * the group first seen last in front: what the legacy query returned for the
 * rows of one date (its index scan ran backwards over insertion order).
 * Events without an agent form one group per date, tool and model; the legacy
 * table kept one row per such invocation (NULLs never compare equal in its
 * primary key), and merging them is a deliberate fix.
 */
export async function rollupDailyCosts(events: Iterable<TelemetryEvent>): Promise<DailyCostRow[]> {
  const rows = await rollupCosts(events, { by: ["date", "agent_role", "tool", "model"] });
  // rollupCosts lists groups in order of their first event.
  return rows.reverse().map((row) =>
    Object.freeze({
      date: row.date ?? "",
      agent_name: row.agent_role ?? null,
      tool_name: row.tool ?? "",
      model_name: row.model ?? "",
      invocations: row.invocations,
      total_tokens: row.total_tokens,
      total_cost_usd: row.cost_usd,
    }),
  );
}
