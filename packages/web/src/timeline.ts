// The run's timeline: one bar per task from start to end on a shared time
// axis, coloured by outcome, with its tool executions drawn inside it.
import type { TaskView } from "./api.js";
import { h } from "./dom.js";
import { formatClock, formatDuration, formatTokens, formatUsd } from "./format.js";

interface Span {
  readonly start: number;
  readonly end: number;
}

function ms(ts: string | null): number {
  return ts === null ? Number.NaN : Date.parse(ts);
}

/** A task's drawn span: an open task reaches to its latest event. */
function taskSpan(task: TaskView): Span {
  const start = ms(task.started_ts);
  const end = ms(task.ended_ts ?? task.last_ts);
  return { start, end: Math.max(end, start) };
}

function percent(value: number, axis: Span): number {
  const width = axis.end - axis.start;
  return width <= 0 ? 0 : Math.min(100, Math.max(0, ((value - axis.start) / width) * 100));
}

function axisTicks(axis: Span): HTMLElement {
  const ticks = h("div", { class: "axis" });
  const steps = 4;
  for (let i = 0; i <= steps; i++) {
    const at = axis.start + ((axis.end - axis.start) * i) / steps;
    ticks.append(h("span", { class: "tick", style: { left: `${(i / steps) * 100}%` } }, formatClock(new Date(at).toISOString())));
  }
  return ticks;
}

export function renderTimeline(tasks: readonly TaskView[]): HTMLElement {
  const spans = tasks.map(taskSpan);
  const valid = spans.filter((s) => Number.isFinite(s.start));
  if (valid.length === 0) return h("p", { class: "muted" }, "No tasks yet.");
  const axis: Span = { start: Math.min(...valid.map((s) => s.start)), end: Math.max(...valid.map((s) => s.end)) };
  const rows = tasks.map((task, i) => {
    const span = spans[i]!;
    const left = percent(span.start, axis);
    const width = Math.max(0.6, percent(span.end, axis) - left);
    const bar = h("div", {
      class: `bar bar-${task.outcome}`,
      style: { left: `${left}%`, width: `${width}%` },
      title: `${task.task_id} ${task.outcome}: ${formatDuration(span.end - span.start)}${task.summary === null ? "" : `\n${task.summary}`}`,
      data: { taskId: task.task_id },
    });
    const taskWidth = span.end - span.start;
    for (const execution of task.executions) {
      const start = ms(execution.started_ts ?? execution.ended_ts);
      const end = ms(execution.ended_ts ?? task.last_ts);
      if (!Number.isFinite(start) || taskWidth <= 0) continue;
      const failed = execution.status === "failed" || execution.status === "error";
      bar.append(
        h("span", {
          class: `exec${failed ? " exec-failed" : ""}${execution.ended_ts === null ? " exec-open" : ""}`,
          style: { left: `${((start - span.start) / taskWidth) * 100}%`, width: `${Math.max(0.5, ((Math.max(end, start) - start) / taskWidth) * 100)}%` },
          title: `${execution.tool ?? "execution"}${execution.summary === null ? "" : `: ${execution.summary}`} (${execution.status ?? "running"})`,
        }),
      );
    }
    const phases = task.phases.map((p) => p.phase).join(", ");
    return h(
      "div",
      { class: "tl-row" },
      h("div", { class: "tl-label" }, h("span", { class: "tl-task" }, task.task_id), h("span", { class: "tl-agent" }, [task.agent_role, phases].filter(Boolean).join(" · "))),
      h("div", { class: "tl-track" }, bar),
      h("div", { class: "tl-figures" }, h("span", null, formatTokens(task.total_tokens)), h("span", null, formatUsd(task.cost_usd))),
    );
  });
  return h(
    "div",
    { class: "timeline" },
    h("div", { class: "tl-row tl-head" }, h("div", { class: "tl-label muted" }, "Task"), h("div", { class: "tl-track" }, axisTicks(axis)), h("div", { class: "tl-figures muted" }, h("span", null, "tokens"), h("span", null, "cost"))),
    ...rows,
    h(
      "div",
      { class: "legend" },
      h("span", { class: "key key-completed" }, "completed"),
      h("span", { class: "key key-failed" }, "failed"),
      h("span", { class: "key key-unfinished" }, "running"),
      h("span", { class: "key key-exec" }, "tool execution"),
    ),
  );
}
