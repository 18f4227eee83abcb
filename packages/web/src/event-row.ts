// One event as a table row, for the run view and the live feed.
import type { TelemetryEvent } from "@telemetry/schema";
import { h } from "./dom.js";
import { formatTime, formatTokens, formatUsd } from "./format.js";

export function eventBadge(type: string): HTMLElement {
  return h("span", { class: `ev ev-${type}` }, type);
}

function figures(event: TelemetryEvent): string {
  const m = event.metrics;
  if (m === undefined) return "";
  const parts: string[] = [];
  const tokens = m.total_tokens ?? (m.prompt_tokens ?? 0) + (m.completion_tokens ?? 0);
  if (tokens > 0) parts.push(`${formatTokens(tokens)} tok`);
  if (m.cost_usd !== undefined) parts.push(formatUsd(m.cost_usd));
  if (m.model !== undefined) parts.push(m.model);
  return parts.join(" · ");
}

export function eventRow(event: TelemetryEvent, options: { showRun: boolean }): HTMLElement {
  return h(
    "tr",
    { class: "event-row", data: { eventId: event.event_id } },
    h("td", { class: "time", title: event.ts }, formatTime(event.ts)),
    h("td", null, eventBadge(event.event)),
    options.showRun ? h("td", { class: "run-id" }, event.run_id === undefined ? "" : h("a", { attrs: { href: `#/runs/${encodeURIComponent(event.run_id)}` } }, event.run_id)) : null,
    h("td", null, event.task_id ?? ""),
    h("td", null, event.agent_role ?? ""),
    h("td", null, event.tool ?? ""),
    h("td", null, event.status ?? ""),
    h("td", { class: "summary" }, event.summary ?? ""),
    h("td", { class: "num figures" }, figures(event)),
  );
}

export function eventHeader(options: { showRun: boolean }): HTMLElement {
  const labels = ["Time", "Event", ...(options.showRun ? ["Run"] : []), "Task", "Agent", "Tool", "Status", "Summary", ""];
  return h("thead", null, h("tr", null, ...labels.map((label) => h("th", null, label))));
}
