// The coloured word for a run's status or a task's outcome.
import { h } from "./dom.js";

const LABELS: Readonly<Record<string, string>> = {
  running: "running",
  unfinished: "running",
  completed: "completed",
  failed: "failed",
};

export function statusPill(status: string): HTMLElement {
  const known = LABELS[status];
  return h("span", { class: `pill pill-${known ?? "other"}` }, known ?? status);
}
