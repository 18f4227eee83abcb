// The two tables people read most: runs (from summarizeRuns) and costs
// (from rollupCosts), each with a total row. Used by `stats` and `demo`.
import type { CostGroupKey, CostRollupRow, RunSummary } from "@telemetry/reader";
import type { Colors } from "./color.js";
import { formatTimestamp, oneLine } from "./format-event.js";
import { formatCount, formatDuration, formatUsd } from "./format-number.js";
import { renderTable } from "./table.js";

/** One row per run, plus a total row when there are several. */
export function renderRunTable(runs: readonly RunSummary[], colors?: Colors): string {
  const rows = runs.map((run) => [
    oneLine(run.run_id),
    formatTimestamp(run.first_ts).slice(0, 16),
    formatDuration(run.duration_ms),
    formatCount(run.events),
    formatCount(run.tasks.total),
    formatCount(run.tasks.completed),
    formatCount(run.tasks.failed),
    formatCount(run.tasks.unfinished),
    formatCount(run.agents.length),
    formatCount(run.total_tokens),
    formatUsd(run.cost_usd),
  ]);
  const sum = (pick: (run: RunSummary) => number): number => runs.reduce((total, run) => total + pick(run), 0);
  if (runs.length > 1) {
    rows.push([
      `total (${formatCount(runs.length)} runs)`,
      "",
      "",
      formatCount(sum((r) => r.events)),
      formatCount(sum((r) => r.tasks.total)),
      formatCount(sum((r) => r.tasks.completed)),
      formatCount(sum((r) => r.tasks.failed)),
      formatCount(sum((r) => r.tasks.unfinished)),
      "",
      formatCount(sum((r) => r.total_tokens)),
      formatUsd(sum((r) => r.cost_usd)),
    ]);
  }
  return renderTable(
    [
      { header: "run" },
      { header: "started (UTC)" },
      { header: "duration", align: "right" },
      { header: "events", align: "right" },
      { header: "tasks", align: "right" },
      { header: "ok", align: "right" },
      { header: "failed", align: "right" },
      { header: "open", align: "right" },
      { header: "agents", align: "right" },
      { header: "tokens", align: "right" },
      { header: "cost", align: "right" },
    ],
    rows,
    colors,
  );
}

/** Days oldest first; other groups by cost, highest first. */
export function sortRollup(rows: CostRollupRow[], key: CostGroupKey): CostRollupRow[] {
  if (key === "date") return rows.sort((a, b) => String(a.date ?? "").localeCompare(String(b.date ?? "")));
  return rows.sort((a, b) => b.cost_usd - a.cost_usd);
}

/** A cost roll-up grouped by one key, plus a total row when there are several groups. */
export function renderCostTable(rows: readonly CostRollupRow[], key: CostGroupKey, header: string, colors?: Colors): string {
  const body = rows.map((row) => [
    oneLine(row[key] ?? "(none)"),
    formatCount(row.invocations),
    formatCount(row.total_tokens),
    formatUsd(row.cost_usd),
  ]);
  if (rows.length > 1) {
    body.push([
      "total",
      formatCount(rows.reduce((n, r) => n + r.invocations, 0)),
      formatCount(rows.reduce((n, r) => n + r.total_tokens, 0)),
      formatUsd(rows.reduce((n, r) => n + r.cost_usd, 0)),
    ]);
  }
  return renderTable(
    [{ header }, { header: "invocations", align: "right" }, { header: "tokens", align: "right" }, { header: "cost", align: "right" }],
    body,
    colors,
  );
}
