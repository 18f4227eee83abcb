// Live feed: every new event as it arrives, filtered by the server with the
// same filters as `/api/events`, newest on top.
import { EVENT_TYPES } from "@telemetry/schema";
import { h, replaceChildren } from "./dom.js";
import { eventHeader, eventRow } from "./event-row.js";
import { formatCount } from "./format.js";
import { LiveStream } from "./live-stream.js";
import type { View } from "./view.js";

/** Rows kept in the page; older ones scroll away (the count keeps counting). */
const MAX_ROWS = 2_000;
const FIELDS = [
  ["run_id", "Run"],
  ["agent_role", "Agent"],
  ["tool", "Tool"],
  ["status", "Status"],
] as const;

const filters: Record<string, string> = {};

export const feedView: View = (root, context) => {
  const type = h("select", { attrs: { "aria-label": "Event type", name: "event" } }, h("option", { attrs: { value: "" } }, "All events"), ...EVENT_TYPES.map((t) => h("option", { attrs: { value: t } }, t)));
  type.value = filters.event ?? "";
  const inputs = FIELDS.map(([name, label]) => {
    const input = h("input", { attrs: { type: "text", name, placeholder: label, "aria-label": label } });
    input.value = filters[name] ?? "";
    return input;
  });
  const count = h("span", { class: "muted count feed-count" }, "0 events");
  const body = h("tbody");
  let received = 0;
  let stream: LiveStream | undefined;

  function start(): void {
    stream?.close();
    received = 0;
    count.textContent = "0 events";
    replaceChildren(body, h("tr", { class: "waiting" }, h("td", { class: "empty", attrs: { colspan: "9" } }, "Waiting for new events…")));
    const params: Record<string, string> = {};
    if (type.value !== "") params.event = type.value;
    for (const input of inputs) if (input.value.trim() !== "") params[input.name] = input.value.trim();
    Object.assign(filters, { event: type.value }, Object.fromEntries(inputs.map((i) => [i.name, i.value.trim()])));
    stream = new LiveStream({
      params,
      from: "end",
      onEvent(event) {
        if (received === 0) body.replaceChildren();
        received++;
        count.textContent = `${formatCount(received)} event${received === 1 ? "" : "s"}`;
        body.prepend(eventRow(event, { showRun: true }));
        if (body.childElementCount > MAX_ROWS) body.lastElementChild?.remove();
      },
      onInvalid: (data) => context.showError(`The server sent a line that is not a valid event: ${data.slice(0, 120)}`),
    });
  }

  const form = h(
    "form",
    { class: "filters", on: { submit: (event) => (event.preventDefault(), start()) } },
    type,
    ...inputs,
    h("button", { class: "btn", attrs: { type: "submit" } }, "Apply"),
  );
  replaceChildren(
    root,
    h("div", { class: "toolbar" }, h("h1", null, "Live feed"), count, h("span", { class: "spacer" }), form),
    h("div", { class: "card table-card" }, h("table", { class: "events feed" }, eventHeader({ showRun: true }), body)),
  );
  start();
  return () => stream?.close();
};
