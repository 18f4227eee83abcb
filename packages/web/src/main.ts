// The page: a header with the views and the connection state, a hash router
// (#/runs, #/runs/<id>, #/costs, #/live), and one live stream whose events
// tell the open view to refresh.
import type { TelemetryEvent } from "@telemetry/schema";
import { getJson, type RunsPage } from "./api.js";
import { costsView } from "./costs-view.js";
import { h, replaceChildren } from "./dom.js";
import { feedView } from "./feed-view.js";
import { LiveStream, type StreamStatus } from "./live-stream.js";
import { runView } from "./run-view.js";
import { runsView } from "./runs-view.js";
import "./style.css";
import type { View, ViewContext } from "./view.js";

// The server set a cookie when the page was opened with ?token=: keep the
// token out of the address bar, the history and screenshots.
if (new URLSearchParams(location.search).has("token")) history.replaceState(null, "", `/${location.hash}`);

const listeners = new Set<(event: TelemetryEvent) => void>();
const banner = h("div", { class: "banner", attrs: { role: "alert" } });
banner.hidden = true;
const connection = h("span", { class: "conn conn-connecting" }, "connecting");
const main = h("main");
const tabs = [
  ["#/runs", "Runs"],
  ["#/costs", "Costs"],
  ["#/live", "Live feed"],
] as const;
const nav = h("nav", null, ...tabs.map(([href, label]) => h("a", { attrs: { href }, data: { tab: href } }, label)));

const context: ViewContext = {
  onEvent(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  showError(message) {
    banner.hidden = message === undefined;
    banner.textContent = message ?? "";
  },
};

function setStatus(status: StreamStatus): void {
  connection.className = `conn conn-${status}`;
  connection.textContent = status === "live" ? "live" : status === "connecting" ? "reconnecting" : "offline";
}

function route(): View {
  const hash = location.hash || "#/runs";
  const run = /^#\/runs\/(.+)$/.exec(hash);
  if (run !== null) return runView(decodeURIComponent(run[1]!));
  if (hash === "#/costs") return costsView;
  if (hash === "#/live") return feedView;
  return runsView;
}

let unmount: (() => void) | undefined;
function show(): void {
  unmount?.();
  context.showError(undefined);
  const hash = location.hash || "#/runs";
  for (const link of nav.querySelectorAll("a")) link.classList.toggle("active", hash.startsWith(link.dataset.tab ?? "-"));
  unmount = route()(main, context);
  window.scrollTo(0, 0);
}

replaceChildren(
  document.getElementById("app")!,
  h("header", null, h("a", { class: "brand", attrs: { href: "#/runs" } }, h("span", { class: "logo" }), "telemetry"), nav, h("span", { class: "spacer" }), connection),
  banner,
  main,
);
window.addEventListener("hashchange", show);
show();

// The stream starts where the server's aggregates stood, so no event falls
// between what the first request showed and what the stream delivers.
async function connect(): Promise<void> {
  let from = "end";
  try {
    from = (await getJson<RunsPage>("/api/runs", { limit: 1 })).position;
  } catch {
    // Served anyway from "end"; the views show their own errors.
  }
  new LiveStream({
    params: {},
    from,
    onStatus: setStatus,
    onEvent(event) {
      for (const listener of listeners) listener(event);
    },
  });
}
void connect();
