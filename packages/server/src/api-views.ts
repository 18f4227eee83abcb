// The JSON bodies of the read API, computed from the hub's live aggregates
// (docs/http-api.md is the contract; keep the two in step).
import { DecimalSum, type CostGroupKey, type CostRollupRow, type RunSummary } from "@telemetry/reader";
import { BadRequestError } from "./errors.js";
import type { LiveHub } from "./live-hub.js";
import type { CostsBody, RunStatus, RunView, RunsPage, TaskView } from "@telemetry/web";

export interface RunsQuery {
  readonly offset: number;
  readonly limit: number;
  /** Case-insensitive substring of the run id, an agent or a tool. */
  readonly q: string | undefined;
  readonly status: RunStatus | undefined;
}

export const RUN_STATUSES: readonly RunStatus[] = ["running", "failed", "completed"];
export const COST_KEYS: readonly CostGroupKey[] = ["date", "agent_role", "tool", "model"];

/** Open tasks make a run running; otherwise any failed task makes it failed. */
export function runStatus(run: RunSummary): RunStatus {
  if (run.tasks.unfinished > 0) return "running";
  return run.tasks.failed > 0 ? "failed" : "completed";
}

function startedMs(run: RunSummary): number {
  const ms = Date.parse(run.first_ts);
  return Number.isNaN(ms) ? -Infinity : ms;
}

export function runsPage(hub: LiveHub, query: RunsQuery): RunsPage {
  const position = hub.token();
  const needle = query.q?.toLowerCase();
  const matching: RunView[] = [];
  for (const run of hub.runSummaries()) {
    const status = runStatus(run);
    if (query.status !== undefined && status !== query.status) continue;
    if (needle !== undefined && needle !== "" && !matchesSearch(run, needle, hub.runHosts(run.run_id))) continue;
    matching.push(runView(hub, run, status));
  }
  // Newest first: by start, then by run id for a stable order between pages.
  matching.sort((a, b) => startedMs(b) - startedMs(a) || (a.run_id < b.run_id ? 1 : a.run_id > b.run_id ? -1 : 0));
  return { runs: matching.slice(query.offset, query.offset + query.limit), total: matching.length, offset: query.offset, limit: query.limit, position };
}

/** A run as the API shows it: its summary, status, and for a fleet's runs the hosts its events came from. */
function runView(hub: LiveHub, run: RunSummary, status: RunStatus): RunView {
  const hosts = hub.runHosts(run.run_id);
  return hosts === undefined ? { ...run, status } : { ...run, status, hosts };
}

function matchesSearch(run: RunSummary, needle: string, hosts: readonly string[] = []): boolean {
  if (run.run_id.toLowerCase().includes(needle)) return true;
  return [run.agents, run.tools, hosts].some((names) => names.some((name) => name.toLowerCase().includes(needle)));
}

/** The body of `/api/runs/:run_id`, as a string: its kept lines are spliced in as they are stored. */
export function runDetailBody(hub: LiveHub, runId: string): string | undefined {
  const position = hub.token();
  const summary = hub.runSummaries().find((run) => run.run_id === runId);
  const detail = hub.runDetail(runId);
  if (summary === undefined || detail === undefined) return undefined;
  const head: { run: RunView; tasks: readonly TaskView[]; events_total: number; events_omitted: number; position: string } = {
    run: runView(hub, summary, runStatus(summary)),
    tasks: detail.tasks,
    events_total: detail.events,
    events_omitted: detail.events - detail.recentLines.length,
    position,
  };
  const json = JSON.stringify(head);
  return `${json.slice(0, -1)},"events":[${detail.recentLines.join(",")}]}`;
}

export function parseCostKeys(value: string | null): CostGroupKey[] {
  if (value === null || value.trim() === "") return ["date"];
  const keys = value.split(",").map((k) => k.trim());
  for (const key of keys) {
    if (!(COST_KEYS as readonly string[]).includes(key)) throw new BadRequestError("by", `unknown key "${key}" (known: ${COST_KEYS.join(", ")})`);
  }
  return [...new Set(keys)] as CostGroupKey[];
}

/** Rows as `rollupCosts(events, { by })` gives them, re-grouped from the hub's finest grouping; sorted by the keys (nulls last). */
export function costsBody(hub: LiveHub, by: readonly CostGroupKey[]): CostsBody {
  const position = hub.token();
  const groups = new Map<string, { keys: (string | null)[]; invocations: number; tokens: number; cost: DecimalSum }>();
  const totals = { invocations: 0, total_tokens: 0 };
  const totalCost = new DecimalSum();
  for (const row of hub.costRows()) {
    const keys = by.map((key) => row[key] ?? null);
    const id = JSON.stringify(keys);
    let group = groups.get(id);
    if (group === undefined) groups.set(id, (group = { keys, invocations: 0, tokens: 0, cost: new DecimalSum() }));
    // Exact decimal sums, as the reader's own roll-up: re-grouping changes no cent.
    group.invocations += row.invocations;
    group.tokens += row.total_tokens;
    group.cost.add(row.cost_usd);
    totals.invocations += row.invocations;
    totals.total_tokens += row.total_tokens;
    totalCost.add(row.cost_usd);
  }
  const sorted = [...groups.values()].sort((a, b) => {
    for (let i = 0; i < by.length; i++) {
      const x = a.keys[i] ?? null;
      const y = b.keys[i] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  });
  const rows = sorted.map((group) => {
    const row: Record<string, string | number | null> = {};
    by.forEach((key, i) => (row[key] = group.keys[i] ?? null));
    row.invocations = group.invocations;
    row.total_tokens = group.tokens;
    row.cost_usd = group.cost.value;
    return row as unknown as CostRollupRow;
  });
  return { by, rows, totals: { ...totals, cost_usd: totalCost.value }, position };
}
