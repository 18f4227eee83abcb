// Costs by day, by model and by agent, as bar charts read at a glance.
import { getJson, type CostRow, type CostsBody } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { formatCount, formatTokens, formatUsd } from "./format.js";
import { Refresher } from "./refresh.js";
import type { View } from "./view.js";

type Key = "date" | "model" | "agent_role";

function barChart(title: string, key: Key, rows: readonly CostRow[], order: "key" | "cost"): HTMLElement {
  const sorted = [...rows].sort((a, b) => (order === "cost" ? b.cost_usd - a.cost_usd : String(a[key] ?? "~").localeCompare(String(b[key] ?? "~"))));
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
        h("div", { class: "charts" }, barChart("By day (UTC)", "date", byDate!.rows, "key"), barChart("By model", "model", byModel!.rows, "cost"), barChart("By agent", "agent_role", byAgent!.rows, "cost")),
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
