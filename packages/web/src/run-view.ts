// One run: its figures, the task timeline, every task's phases, executions,
// failures, tokens, cost and log paths, and its recent events; live.
import { ApiError, getJson, type RunDetail, type TaskView } from "./api.js";
import { h, linkOrText, replaceChildren } from "./dom.js";
import { eventHeader, eventRow } from "./event-row.js";
import { formatCount, formatDuration, formatTime, formatTokens, formatUsd } from "./format.js";
import { Refresher } from "./refresh.js";
import { statusPill } from "./status-pill.js";
import { renderTimeline } from "./timeline.js";
import type { View } from "./view.js";

function stat(label: string, value: string | Node, title?: string): HTMLElement {
  return h("div", { class: "stat", ...(title === undefined ? {} : { title }) }, h("div", { class: "stat-label" }, label), h("div", { class: "stat-value" }, value));
}

function logPaths(paths: Readonly<Record<string, string>>): HTMLElement {
  const entries = Object.entries(paths);
  if (entries.length === 0) return h("span", { class: "muted" }, "–");
  return h("ul", { class: "log-paths" }, ...entries.map(([name, path]) => h("li", null, h("span", { class: "muted" }, `${name}: `), linkOrText(path))));
}

function taskRow(task: TaskView): HTMLElement {
  const executions = task.executions.length + task.executions_omitted;
  const failedExecutions = task.executions.filter((e) => e.status === "failed" || e.status === "error").length;
  return h(
    "tr",
    { data: { taskId: task.task_id } },
    h("td", { class: "task-id" }, task.task_id),
    h("td", null, task.agent_role ?? ""),
    h("td", null, statusPill(task.outcome)),
    h("td", null, task.phases.map((p) => p.phase).join(", ")),
    h("td", { class: "num" }, `${executions}${failedExecutions > 0 ? ` (${failedExecutions} failed)` : ""}`),
    h("td", { class: "num", title: task.ended_ts ?? "open" }, formatDuration(Date.parse(task.ended_ts ?? task.last_ts) - Date.parse(task.started_ts))),
    h("td", { class: "num" }, formatTokens(task.total_tokens)),
    h("td", { class: "num" }, formatUsd(task.cost_usd)),
    h("td", { class: "summary" }, task.summary ?? ""),
    h("td", null, logPaths(task.log_paths)),
  );
}

function failures(tasks: readonly TaskView[]): HTMLElement | null {
  const all = tasks.flatMap((task) => task.failures.map((failure) => ({ task, failure })));
  if (all.length === 0) return null;
  return h(
    "section",
    { class: "card failures" },
    h("h2", null, `Failures (${all.length})`),
    h(
      "ul",
      null,
      ...all.map(({ task, failure }) =>
        h(
          "li",
          { class: "failure" },
          h("span", { class: "time", title: failure.ts }, formatTime(failure.ts)),
          h("strong", null, task.task_id),
          h("span", { class: "muted" }, failure.event === "task_failed" ? "task failed" : `${failure.tool ?? "execution"} failed`),
          h("span", { class: "failure-summary" }, failure.summary ?? "(no summary)"),
        ),
      ),
    ),
  );
}

/** Events shown at first; "Show more" adds as many again (the server keeps the newest 500, all via Download). */
const EVENTS_SHOWN = 50;

export function runView(runId: string): View {
  return (root, context) => {
    let shown = EVENTS_SHOWN;
    const refresher = new Refresher(async () => {
      let detail: RunDetail;
      try {
        detail = await getJson<RunDetail>(`/api/runs/${encodeURIComponent(runId)}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          replaceChildren(root, h("p", { class: "back" }, h("a", { attrs: { href: "#/runs" } }, "← Runs")), h("h1", null, runId), h("p", { class: "muted" }, "No events for this run yet: waiting…"));
          context.showError(undefined);
          return;
        }
        context.showError(`Could not load run ${runId}: ${(error as Error).message}`);
        return;
      }
      context.showError(undefined);
      const run = detail.run;
      const events = [...detail.events].reverse();
      const allEvents = `/api/events?run_id=${encodeURIComponent(runId)}`;
      replaceChildren(
        root,
        h("p", { class: "back" }, h("a", { attrs: { href: "#/runs" } }, "← Runs")),
        h("div", { class: "toolbar" }, h("h1", { class: "run-title" }, run.run_id), statusPill(run.status)),
        h(
          "div",
          { class: "stats" },
          stat("Started", formatTime(run.first_ts), run.first_ts),
          stat("Duration", formatDuration(run.duration_ms)),
          stat("Tasks", [`${run.tasks.completed} ok`, run.tasks.failed > 0 ? `${run.tasks.failed} failed` : "", run.tasks.unfinished > 0 ? `${run.tasks.unfinished} open` : ""].filter(Boolean).join(" · ")),
          stat("Agents", run.agents.join(", ") || "–"),
          stat("Events", formatCount(run.events)),
          stat("Tokens", formatTokens(run.total_tokens), formatCount(run.total_tokens)),
          stat("Cost", formatUsd(run.cost_usd)),
        ),
        h("section", { class: "card" }, h("h2", null, "Timeline"), renderTimeline(detail.tasks)),
        failures(detail.tasks),
        h(
          "section",
          { class: "card table-card" },
          h("h2", null, "Tasks"),
          h(
            "table",
            { class: "tasks-table" },
            h("thead", null, h("tr", null, ...["Task", "Agent", "Outcome", "Phases", "Executions", "Duration", "Tokens", "Cost", "Summary", "Logs"].map((l) => h("th", null, l)))),
            h("tbody", null, ...detail.tasks.map(taskRow)),
          ),
        ),
        h(
          "section",
          { class: "card table-card" },
          h(
            "h2",
            null,
            `Events (${formatCount(detail.events_total)})`,
            detail.events_omitted > 0 ? h("span", { class: "muted small" }, ` newest ${formatCount(events.length)} shown`) : null,
            h("a", { class: "btn small-btn", attrs: { href: allEvents, download: `${runId}.jsonl` } }, "Download all (JSONL)"),
          ),
          h("table", { class: "events" }, eventHeader({ showRun: false }), h("tbody", null, ...events.slice(0, shown).map((event) => eventRow(event, { showRun: false })))),
          events.length > shown
            ? h(
                "div",
                { class: "more" },
                h("button", { class: "btn", attrs: { type: "button" }, on: { click: () => ((shown += EVENTS_SHOWN * 2), void refresher.now()) } }, `Show more (${formatCount(events.length - shown)} more loaded)`),
              )
            : null,
        ),
      );
    });
    void refresher.now();
    const unsubscribe = context.onEvent((event) => {
      if (event.run_id === runId) refresher.soon();
    });
    return () => {
      unsubscribe();
      refresher.stop();
    };
  };
}
