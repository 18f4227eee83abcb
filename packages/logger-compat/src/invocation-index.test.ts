import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DailyCostRow } from "./daily-costs.js";
import { instantKey, utcDay } from "./instant.js";
import { InvocationIndex, type Statistics } from "./invocation-index.js";
import { INVOCATION_STATUSES, type InvocationRow } from "./invocation-record.js";

const DAY = 86_400_000;
const BASE = Date.UTC(2026, 0, 10);
const AGENTS = ["a", "b", null] as const;

// Few distinct values, so groups, ties and filters all get exercised.
const rowArb = fc.record({
  offset: fc.integer({ min: 0, max: 4 * DAY - 1 }),
  micros: fc.integer({ min: 0, max: 999 }),
  agent: fc.constantFrom(...AGENTS),
  tool: fc.constantFrom("t1", "t2"),
  model: fc.constantFrom("m1", "m2"),
  status: fc.constantFrom(...INVOCATION_STATUSES),
  tokens: fc.integer({ min: 0, max: 1000 }),
  cost: fc.double({ min: 0, max: 1, noNaN: true }),
  latency: fc.integer({ min: 0, max: 10_000 }),
});

type RowInput = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;
type Op = { kind: "add"; row: RowInput } | { kind: "query"; agent: string | undefined; fromDay: number | undefined; since: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: rowArb.map((row) => ({ kind: "add" as const, row })) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("query" as const),
      agent: fc.constantFrom(undefined, "a", "b", "zz"),
      fromDay: fc.constantFrom(undefined, 0, 1, 2, 3),
      since: fc.integer({ min: 0, max: 4 * DAY }),
    }),
  },
);

function toRow(r: RowInput, n: number): InvocationRow {
  const ms = BASE + r.offset;
  return {
    invocation_id: `id-${n}`,
    timestamp: `${new Date(ms).toISOString().slice(0, 23)}${String(r.micros).padStart(3, "0")}+00:00`,
    agent_name: r.agent,
    tool_name: r.tool,
    model_name: r.model,
    prompt_tokens: r.tokens,
    completion_tokens: 0,
    total_tokens: r.tokens,
    cost_usd: r.cost,
    latency_ms: r.latency,
    status: r.status,
    error_message: null,
    privacy_level: "metadata",
  };
}

/** The legacy semantics, computed the slow and obvious way over every row. */
const model = {
  invocations(rows: InvocationRow[], agent: string | undefined, startDay: number | undefined): string[] {
    return rows
      .map((r, i) => ({ r, i, k: instantKey(r.timestamp) }))
      .filter(({ r, k }) => (agent === undefined || r.agent_name === agent) && (startDay === undefined || utcDay(k) >= startDay))
      .sort((x, y) => y.k - x.k || y.i - x.i)
      .map(({ r }) => r.invocation_id);
  },
  statistics(rows: InvocationRow[], agent: string | undefined, since: number): Statistics {
    const w = rows.filter((r) => (agent === undefined || r.agent_name === agent) && instantKey(r.timestamp) >= since);
    const n = w.length;
    const sum = (f: (r: InvocationRow) => number) => w.reduce((t, r) => t + f(r), 0);
    return {
      total_invocations: n,
      total_cost_usd: sum((r) => r.cost_usd),
      total_tokens: sum((r) => r.total_tokens),
      success_rate: n === 0 ? 0 : w.filter((r) => r.status === "success").length / n,
      avg_latency_ms: n === 0 ? 0 : sum((r) => r.latency_ms) / n,
      error_count: w.filter((r) => r.status === "error").length,
    };
  },
  daily(rows: InvocationRow[], agent: string | undefined, startDay: number | undefined): Map<string, DailyCostRow> {
    const out = new Map<string, DailyCostRow>();
    for (const r of rows) {
      const day = utcDay(instantKey(r.timestamp));
      if ((agent !== undefined && r.agent_name !== agent) || (startDay !== undefined && day < startDay)) continue;
      const date = new Date(day * DAY).toISOString().slice(0, 10);
      const key = JSON.stringify([date, r.agent_name, r.tool_name, r.model_name]);
      const g = out.get(key);
      out.set(key, {
        date,
        agent_name: r.agent_name,
        tool_name: r.tool_name,
        model_name: r.model_name,
        invocations: (g?.invocations ?? 0) + 1,
        total_tokens: (g?.total_tokens ?? 0) + r.total_tokens,
        total_cost_usd: (g?.total_cost_usd ?? 0) + r.cost_usd,
      });
    }
    return out;
  },
};

describe("InvocationIndex", () => {
  it("answers like a full recomputation, whatever order rows arrive in and however queries interleave", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), (ops) => {
        const index = new InvocationIndex();
        const rows: InvocationRow[] = [];
        for (const op of ops) {
          if (op.kind === "add") {
            const row = toRow(op.row, rows.length);
            expect(index.add(row)).toBe(true);
            rows.push(row);
            continue;
          }
          const startDay = op.fromDay === undefined ? undefined : utcDay(BASE) + op.fromDay;
          const ids = index.invocations({ agentName: op.agent, startDay, limit: 1e9 }).map((r) => r.invocation_id);
          expect(ids).toEqual(model.invocations(rows, op.agent, startDay));
          const stats = index.statistics({ agentName: op.agent, since: BASE + op.since });
          const want = model.statistics(rows, op.agent, BASE + op.since);
          for (const key of Object.keys(want) as (keyof Statistics)[]) expect(stats[key], key).toBeCloseTo(want[key], 9);
          const daily = index.dailyCosts({ agentName: op.agent, startDay });
          const wantDaily = model.daily(rows, op.agent, startDay);
          expect(daily).toHaveLength(wantDaily.size);
          for (const d of daily) {
            const w = wantDaily.get(JSON.stringify([d.date, d.agent_name, d.tool_name, d.model_name]))!;
            expect(d).toMatchObject({ invocations: w.invocations, total_tokens: w.total_tokens });
            expect(d.total_cost_usd).toBeCloseTo(w.total_cost_usd, 9);
          }
          const dates = daily.map((d) => d.date);
          expect(dates).toEqual([...dates].sort().reverse());
        }
      }),
      { numRuns: 150 },
    );
  });

  it("re-sorts once when many rows arrive far out of time order", () => {
    const index = new InvocationIndex();
    const n = 2000;
    for (let i = 0; i < n; i++) {
      // Newest first: every row after the first is out of order.
      index.add(toRow({ offset: (n - i) * 1000, micros: 0, agent: "a", tool: "t1", model: "m1", status: "success", tokens: 1, cost: 0.5, latency: i }, i));
    }
    const rows = index.invocations({ limit: 3 });
    expect(rows.map((r) => r.latency_ms)).toEqual([0, 1, 2]);
    expect(index.statistics({})).toMatchObject({ total_invocations: n, total_cost_usd: n / 2 });
  });

  it("refuses a second row with a known invocation_id", () => {
    const index = new InvocationIndex();
    const row = toRow({ offset: 0, micros: 0, agent: null, tool: "t1", model: "m1", status: "error", tokens: 1, cost: 1, latency: 1 }, 0);
    expect(index.add(row)).toBe(true);
    expect(index.add({ ...row, cost_usd: 5 })).toBe(false);
    expect(index.size).toBe(1);
    expect(index.get(row.invocation_id)?.cost_usd).toBe(1);
  });
});
