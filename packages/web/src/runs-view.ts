// Runs: every run, newest first, live; filter by status, search, paged by the server.
import { getJson, type RunsPage, type RunView } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { formatCount, formatDuration, formatTime, formatTokens, formatUsd } from "./format.js";
import { Refresher } from "./refresh.js";
import { statusPill } from "./status-pill.js";
import type { View } from "./view.js";

const PAGE_SIZE = 50;

// Kept across visits, so going back from a run shows the same list.
const state = { q: "", status: "", offset: 0 };

function taskCell(run: RunView): HTMLElement {
  const t = run.tasks;
  return h(
    "td",
    { class: "tasks", title: `${t.completed} completed, ${t.failed} failed, ${t.unfinished} open of ${t.total}` },
    h("span", { class: "t-ok" }, `${t.completed} ok`),
    t.failed > 0 ? h("span", { class: "t-failed" }, `${t.failed} failed`) : null,
    t.unfinished > 0 ? h("span", { class: "t-open" }, `${t.unfinished} open`) : null,
  );
}

function runRow(run: RunView): HTMLElement {
  const href = `#/runs/${encodeURIComponent(run.run_id)}`;
  return h(
    "tr",
    { class: "run-row", data: { runId: run.run_id }, on: { click: () => (location.hash = href) } },
    h("td", null, statusPill(run.status)),
    h("td", { class: "run-id" }, h("a", { attrs: { href } }, run.run_id), run.hosts === undefined ? null : h("span", { class: "hosts muted", attrs: { title: "host" } }, run.hosts.join(", "))),
    h("td", { title: run.first_ts }, formatTime(run.first_ts)),
    h("td", { class: "num" }, formatDuration(run.duration_ms)),
    taskCell(run),
    h("td", { class: "agents" }, run.agents.join(", ")),
    h("td", { class: "num" }, formatTokens(run.total_tokens)),
    h("td", { class: "num" }, formatUsd(run.cost_usd)),
  );
}

export const runsView: View = (root, context) => {
  const search = h("input", { class: "search", attrs: { type: "search", placeholder: "Search run, agent, tool or host", "aria-label": "Search runs" } });
  search.value = state.q;
  const status = h(
    "select",
    { attrs: { "aria-label": "Status" } },
    ...([["", "All statuses"], ["running", "Running"], ["failed", "Failed"], ["completed", "Completed"]] as const).map(([value, label]) =>
      h("option", { attrs: { value } }, label),
    ),
  );
  status.value = state.status;
  const count = h("span", { class: "muted count" });
  const body = h("tbody");
  const prev = h("button", { class: "btn", attrs: { type: "button" } }, "← Newer");
  const next = h("button", { class: "btn", attrs: { type: "button" } }, "Older →");
  const pageInfo = h("span", { class: "muted" });

  const refresher = new Refresher(async () => {
    try {
      const page = await getJson<RunsPage>("/api/runs", { limit: PAGE_SIZE, offset: state.offset, q: state.q, status: state.status });
      context.showError(undefined);
      replaceChildren(body, ...page.runs.map(runRow));
      if (page.runs.length === 0) body.append(h("tr", null, h("td", { class: "empty", attrs: { colspan: "8" } }, page.total === 0 && state.q === "" && state.status === "" ? "No runs yet: waiting for events…" : "No run matches.")));
      count.textContent = `${formatCount(page.total)} run${page.total === 1 ? "" : "s"}`;
      pageInfo.textContent = page.total === 0 ? "" : `${formatCount(page.offset + 1)}–${formatCount(page.offset + page.runs.length)} of ${formatCount(page.total)}`;
      prev.disabled = page.offset === 0;
      next.disabled = page.offset + page.runs.length >= page.total;
    } catch (error) {
      context.showError(`Could not load runs: ${(error as Error).message}`);
    }
  });

  let debounce: number | undefined;
  search.addEventListener("input", () => {
    window.clearTimeout(debounce);
    debounce = window.setTimeout(() => {
      state.q = search.value.trim();
      state.offset = 0;
      void refresher.now();
    }, 200);
  });
  status.addEventListener("change", () => {
    state.status = status.value;
    state.offset = 0;
    void refresher.now();
  });
  prev.addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE);
    void refresher.now();
  });
  next.addEventListener("click", () => {
    state.offset += PAGE_SIZE;
    void refresher.now();
  });

  replaceChildren(
    root,
    h("div", { class: "toolbar" }, h("h1", null, "Runs"), count, h("span", { class: "spacer" }), search, status),
    h(
      "div",
      { class: "card table-card" },
      h(
        "table",
        { class: "runs" },
        h("thead", null, h("tr", null, ...["Status", "Run", "Started", "Duration", "Tasks", "Agents", "Tokens", "Cost"].map((label, i) => h("th", { class: i >= 6 || i === 3 ? "num" : "" }, label)))),
        body,
      ),
    ),
    h("div", { class: "pager" }, prev, pageInfo, next),
  );
  void refresher.now();
  const unsubscribe = context.onEvent((event) => {
    if (event.run_id !== undefined) refresher.soon();
  });
  return () => {
    unsubscribe();
    refresher.stop();
    window.clearTimeout(debounce);
  };
};
