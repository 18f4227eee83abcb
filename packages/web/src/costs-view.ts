// Costs by day, by model and by agent, as bar charts read at a glance.
import type { CostRollupRow as CostRow } from "@telemetry/reader";
import { getJson, type CostsBody } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { formatCount, formatTokens, formatUsd } from "./format.js";
import { Refresher } from "./refresh.js";
import type { View } from "./view.js";

type Key = "model" | "agent_role";

/** Largest first, as horizontal bars. */
function barChart(title: string, key: Key, rows: readonly CostRow[]): HTMLElement {
  const sorted = [...rows].sort((a, b) => b.cost_usd - a.cost_usd);
  const max = Math.max(0, ...sorted.map((row) => row.cost_usd));
  return h(
    "section",
    { class: "card chart", data: { chart: key } },
    h("h2", null, title),
    sorted.length === 0
      ? h("p", { class: "muted" }, "No cost_update events yet.")
      : h(
          "div",
          { class: "bars" },
          ...sorted.map((row) =>
            h(
              "div",
              { class: "bar-row", title: `${formatCount(row.invocations)} invocations, ${formatCount(row.total_tokens)} tokens` },
              h("span", { class: "bar-label" }, row[key] ?? "(none)"),
              h("span", { class: "bar-track" }, h("span", { class: "bar-fill", style: { width: `${max === 0 ? 0 : Math.max(0.5, (row.cost_usd / max) * 100)}%` } })),
              h("span", { class: "bar-value" }, formatUsd(row.cost_usd)),
              h("span", { class: "bar-extra muted" }, `${formatTokens(row.total_tokens)} tok`),
            ),
          ),
        ),
  );
}

/** Days as columns on a time axis: the shape of spending over time at a glance. */
function dayChart(rows: readonly CostRow[]): HTMLElement {
  const days = [...rows].sort((a, b) => String(a.date ?? "~").localeCompare(String(b.date ?? "~")));
  const max = Math.max(0, ...days.map((row) => row.cost_usd));
  return h(
    "section",
    { class: "card chart chart-days", data: { chart: "date" } },
    h("h2", null, "By day (UTC)"),
    days.length === 0
      ? h("p", { class: "muted" }, "No cost_update events yet.")
      : h(
          "div",
          { class: "columns" },
          ...days.map((row) =>
            h(
              "div",
              { class: "column", title: `${row.date ?? "(no date)"}: ${formatUsd(row.cost_usd)}, ${formatCount(row.invocations)} invocations, ${formatCount(row.total_tokens)} tokens` },
              h("span", { class: "column-value" }, formatUsd(row.cost_usd)),
              h("span", { class: "column-track" }, h("span", { class: "column-fill", style: { height: `${max === 0 ? 0 : Math.max(1, (row.cost_usd / max) * 100)}%` } })),
              h("span", { class: "column-label" }, row.date?.slice(5) ?? "–"),
            ),
          ),
        ),
  );
}

export const costsView: View = (root, context) => {
  const refresher = new Refresher(async () => {
    try {
      const [byDate, byModel, byAgent] = await Promise.all(
        (["date", "model", "agent_role"] as const).map((by) => getJson<CostsBody>("/api/costs", { by })),
      );
      context.showError(undefined);
      const totals = byDate!.totals;
      replaceChildren(
        root,
        h("div", { class: "toolbar" }, h("h1", null, "Costs")),
        h(
          "div",
          { class: "stats" },
          h("div", { class: "stat" }, h("div", { class: "stat-label" }, "Total cost"), h("div", { class: "stat-value" }, formatUsd(totals.cost_usd))),
          h("div", { class: "stat" }, h("div", { class: "stat-label" }, "Tokens"), h("div", { class: "stat-value" }, formatTokens(totals.total_tokens))),
          h("div", { class: "stat" }, h("div", { class: "stat-label" }, "Invocations"), h("div", { class: "stat-value" }, formatCount(totals.invocations))),
        ),
        dayChart(byDate!.rows),
        h("div", { class: "charts" }, barChart("By model", "model", byModel!.rows), barChart("By agent", "agent_role", byAgent!.rows)),
      );
    } catch (error) {
      context.showError(`Could not load costs: ${(error as Error).message}`);
    }
  }, 1_000);
  void refresher.now();
  const unsubscribe = context.onEvent((event) => {
    if (event.event === "cost_update") refresher.soon();
  });
  return () => {
    unsubscribe();
    refresher.stop();
  };
};
