// The invocations of one log held in memory, column by column, and the three
// legacy queries over them with the legacy shapes, order and filters. Built
// once at open and extended row by row, so dashboard queries never rescan
// the file.
import { dayStart, dayToDate, instantKey, MS_PER_DAY, utcDay } from "./instant.js";
import { INVOCATION_STATUSES, PRIVACY_LEVELS, type InvocationRow } from "./invocation-record.js";
import { DayCosts, type DailyCostRow } from "./daily-costs.js";
import { TimeView, type RowFigures } from "./time-view.js";

export interface Statistics {
  readonly total_invocations: number;
  readonly total_cost_usd: number;
  readonly total_tokens: number;
  /** Successes / invocations; 0 for no invocations. */
  readonly success_rate: number;
  /** 0 for no invocations. */
  readonly avg_latency_ms: number;
  /** Invocations with status "error" (timeouts are not errors, as in the legacy logger). */
  readonly error_count: number;
}

export interface DailyCostsQuery {
  /** First UTC day, inclusive. */
  readonly startDay?: number | undefined;
  /** Last UTC day, inclusive. */
  readonly endDay?: number | undefined;
  readonly agentName?: string | undefined;
}

export interface InvocationsQuery extends DailyCostsQuery {
  readonly toolName?: string | undefined;
  readonly status?: string | undefined;
  readonly limit: number;
}

export interface StatisticsQuery {
  readonly agentName?: string | undefined;
  /** Instant (epoch ms) from which invocations count, inclusive; none: all. */
  readonly since?: number | undefined;
}

/** String <-> small integer, so a million rows share a handful of names. */
class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  intern(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  find(value: string): number | undefined {
    return this.ids.get(value);
  }
}

const NO_AGENT = -1;
const SUCCESS = INVOCATION_STATUSES.indexOf("success");
const ERROR = INVOCATION_STATUSES.indexOf("error");

export class InvocationIndex {
  private readonly ids: string[] = [];
  private readonly timestamps: string[] = [];
  private readonly errorMessages = new Map<number, string>();
  private readonly rowOfId = new Map<string, number>();
  private readonly names = new Interner();
  private capacity = 1024;
  private key = new Float64Array(this.capacity);
  private agent = new Int32Array(this.capacity);
  private tool = new Int32Array(this.capacity);
  private model = new Int32Array(this.capacity);
  private status = new Uint8Array(this.capacity);
  private privacy = new Uint8Array(this.capacity);
  private prompt = new Float64Array(this.capacity);
  private completion = new Float64Array(this.capacity);
  private total = new Float64Array(this.capacity);
  private cost = new Float64Array(this.capacity);
  private latency = new Float64Array(this.capacity);

  private readonly figures: RowFigures = {
    key: (row) => this.key[row]!,
    cost: (row) => this.cost[row]!,
    tokens: (row) => this.total[row]!,
    latency: (row) => this.latency[row]!,
    success: (row) => (this.status[row] === SUCCESS ? 1 : 0),
    error: (row) => (this.status[row] === ERROR ? 1 : 0),
  };
  private readonly all = new TimeView(this.figures);
  // Built on the first query for an agent, then kept current like `all`.
  private readonly byAgent = new Map<number, TimeView>();
  // Rolled up as rows are added, so a query only reads the groups.
  private readonly costsOfDay = new Map<number, DayCosts>();
  private sortedDays: number[] | undefined;

  get size(): number {
    return this.ids.length;
  }

  has(invocationId: string): boolean {
    return this.rowOfId.has(invocationId);
  }

  /** Adds a row; returns false (and changes nothing) if its `invocation_id` is already indexed. */
  add(row: InvocationRow): boolean {
    if (this.rowOfId.has(row.invocation_id)) return false;
    const i = this.ids.length;
    if (i === this.capacity) this.grow();
    this.ids.push(row.invocation_id);
    this.rowOfId.set(row.invocation_id, i);
    this.timestamps.push(row.timestamp);
    if (row.error_message !== null) this.errorMessages.set(i, row.error_message);
    const key = instantKey(row.timestamp);
    this.key[i] = key;
    this.agent[i] = row.agent_name === null ? NO_AGENT : this.names.intern(row.agent_name);
    this.tool[i] = this.names.intern(row.tool_name);
    this.model[i] = this.names.intern(row.model_name);
    this.status[i] = INVOCATION_STATUSES.indexOf(row.status);
    this.privacy[i] = PRIVACY_LEVELS.indexOf(row.privacy_level);
    this.prompt[i] = row.prompt_tokens;
    this.completion[i] = row.completion_tokens;
    this.total[i] = row.total_tokens;
    this.cost[i] = row.cost_usd;
    this.latency[i] = row.latency_ms;

    this.all.push(i);
    this.byAgent.get(this.agent[i])?.push(i);
    const day = utcDay(key);
    let costs = this.costsOfDay.get(day);
    if (costs === undefined) {
      this.costsOfDay.set(day, (costs = new DayCosts()));
      this.sortedDays = undefined;
    }
    costs.add({ agent: this.agent[i], tool: this.tool[i], model: this.model[i], tokens: row.total_tokens, cost: row.cost_usd });
    return true;
  }

  /** The stored row for an id, or undefined. */
  get(invocationId: string): InvocationRow | undefined {
    const row = this.rowOfId.get(invocationId);
    return row === undefined ? undefined : this.rowAt(row);
  }

  /** Daily rows, newest date first; within a date, the group first logged last comes first (as the legacy table scan did). */
  dailyCosts(query: DailyCostsQuery): DailyCostRow[] {
    let agentId: number | undefined;
    if (query.agentName !== undefined) {
      agentId = this.names.find(query.agentName);
      if (agentId === undefined) return [];
    }
    this.sortedDays ??= [...this.costsOfDay.keys()].sort((a, b) => b - a);
    const name = (id: number): string => this.names.values[id]!;
    const out: DailyCostRow[] = [];
    for (const day of this.sortedDays) {
      if (query.endDay !== undefined && day > query.endDay) continue;
      if (query.startDay !== undefined && day < query.startDay) break;
      out.push(...this.costsOfDay.get(day)!.rows(dayToDate(day), name, agentId));
    }
    return out;
  }

  /** Invocation rows, newest first, at most `limit`. */
  invocations(query: InvocationsQuery): InvocationRow[] {
    const view = this.viewFor(query.agentName);
    if (view === undefined || query.limit <= 0) return [];
    let toolId: number | undefined;
    if (query.toolName !== undefined) {
      toolId = this.names.find(query.toolName);
      if (toolId === undefined) return [];
    }
    let statusId: number | undefined;
    if (query.status !== undefined) {
      statusId = (INVOCATION_STATUSES as readonly string[]).indexOf(query.status);
      if (statusId < 0) return [];
    }
    const from = query.startDay === undefined ? 0 : view.lowerBound(dayStart(query.startDay));
    const to = query.endDay === undefined ? view.length : view.lowerBound(dayStart(query.endDay) + MS_PER_DAY);
    const out: InvocationRow[] = [];
    for (let i = to - 1; i >= from && out.length < query.limit; i--) {
      const row = view.rowAt(i);
      if (toolId !== undefined && this.tool[row] !== toolId) continue;
      if (statusId !== undefined && this.status[row] !== statusId) continue;
      out.push(this.rowAt(row));
    }
    return out;
  }

  statistics(query: StatisticsQuery): Statistics {
    const view = this.viewFor(query.agentName);
    if (view === undefined) return emptyStatistics();
    const from = query.since === undefined ? 0 : view.lowerBound(query.since);
    const t = view.totals(from, view.length);
    if (t.count === 0) return emptyStatistics();
    return {
      total_invocations: t.count,
      total_cost_usd: t.cost,
      total_tokens: t.tokens,
      success_rate: t.successes / t.count,
      avg_latency_ms: t.latency / t.count,
      error_count: t.errors,
    };
  }

  private viewFor(agentName: string | undefined): TimeView | undefined {
    if (agentName === undefined) return this.all;
    const agentId = this.names.find(agentName);
    if (agentId === undefined) return undefined;
    let view = this.byAgent.get(agentId);
    if (view === undefined) {
      view = new TimeView(this.figures);
      for (let row = 0; row < this.ids.length; row++) if (this.agent[row] === agentId) view.push(row);
      this.byAgent.set(agentId, view);
    }
    return view;
  }

  private rowAt(row: number): InvocationRow {
    const agent = this.agent[row]!;
    return {
      invocation_id: this.ids[row]!,
      timestamp: this.timestamps[row]!,
      agent_name: agent === NO_AGENT ? null : this.names.values[agent]!,
      tool_name: this.names.values[this.tool[row]!]!,
      model_name: this.names.values[this.model[row]!]!,
      prompt_tokens: this.prompt[row]!,
      completion_tokens: this.completion[row]!,
      total_tokens: this.total[row]!,
      cost_usd: this.cost[row]!,
      latency_ms: this.latency[row]!,
      status: INVOCATION_STATUSES[this.status[row]!]!,
      error_message: this.errorMessages.get(row) ?? null,
      privacy_level: PRIVACY_LEVELS[this.privacy[row]!]!,
    };
  }

  private grow(): void {
    this.capacity *= 2;
    const n = this.capacity;
    const widen = <T extends Float64Array | Int32Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.key = widen(this.key, new Float64Array(n));
    this.agent = widen(this.agent, new Int32Array(n));
    this.tool = widen(this.tool, new Int32Array(n));
    this.model = widen(this.model, new Int32Array(n));
    this.status = widen(this.status, new Uint8Array(n));
    this.privacy = widen(this.privacy, new Uint8Array(n));
    this.prompt = widen(this.prompt, new Float64Array(n));
    this.completion = widen(this.completion, new Float64Array(n));
    this.total = widen(this.total, new Float64Array(n));
    this.cost = widen(this.cost, new Float64Array(n));
    this.latency = widen(this.latency, new Float64Array(n));
  }
}

function emptyStatistics(): Statistics {
  return { total_invocations: 0, total_cost_usd: 0, total_tokens: 0, success_rate: 0, avg_latency_ms: 0, error_count: 0 };
}

