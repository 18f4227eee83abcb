import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEvent, serializeEvent, type EventInput, type TelemetryEvent } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { CostRollupAccumulator, readEvents, rollupCosts } from "./index.js";

const e = (input: Partial<EventInput> & Pick<EventInput, "event">): TelemetryEvent => createEvent({ ts: "2026-01-01T00:00:00Z", ...input });

async function* slowly<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

describe("rollupCosts", () => {
  const events = [
    e({ event: "cost_update", ts: "2026-01-02T01:00:00+02:00", agent_role: "pedro", tool: "codex", metrics: { model: "gpt-4o", total_tokens: 10, cost_usd: 0.1 } }),
    e({ event: "cost_update", ts: "2026-01-01T23:30:00Z", tool: "codex", metrics: { model: "gpt-4o", total_tokens: 5, cost_usd: 0.2 } }),
    e({ event: "execution_complete", ts: "2026-01-01T23:30:00Z", tool: "codex", metrics: { model: "gpt-4o", total_tokens: 1000, cost_usd: 9 } }),
    e({ event: "cost_update", ts: "2026-01-02T00:00:00Z", agent_role: "pedro", tool: "codex" }),
    e({ event: "cost_update", ts: "2026-01-02T00:00:01Z", agent_role: "pedro", tool: "codex", metrics: { model: "gpt-4o", cost_usd: 0.3 } }),
  ];

  it("counts cost_update events and sums tokens and cost per UTC date, agent, tool and model, with null for absent keys", async () => {
    expect(await rollupCosts(events, { by: ["date", "agent_role", "tool", "model"] })).toEqual([
      { date: "2026-01-01", agent_role: "pedro", tool: "codex", model: "gpt-4o", invocations: 1, total_tokens: 10, cost_usd: 0.1 },
      { date: "2026-01-01", agent_role: null, tool: "codex", model: "gpt-4o", invocations: 1, total_tokens: 5, cost_usd: 0.2 },
      { date: "2026-01-02", agent_role: "pedro", tool: "codex", model: null, invocations: 1, total_tokens: 0, cost_usd: 0 },
      { date: "2026-01-02", agent_role: "pedro", tool: "codex", model: "gpt-4o", invocations: 1, total_tokens: 0, cost_usd: 0.3 },
    ]);
  });

  it("groups by any subset of keys, only those keys present in rows; [] gives one total", async () => {
    expect(await rollupCosts(slowly(events), { by: ["tool"] })).toEqual([{ tool: "codex", invocations: 4, total_tokens: 15, cost_usd: 0.6 }]);
    expect(await rollupCosts(events, { by: [] })).toEqual([{ invocations: 4, total_tokens: 15, cost_usd: 0.6 }]);
    expect(await rollupCosts([], { by: ["date"] })).toEqual([]);
  });

  it("totals costs exactly, the same whatever the order of the events, with no binary noise", async () => {
    const costs = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 1e4 + 1e-7 * i);
    const stream = costs.map((cost_usd, i) => e({ event: "cost_update", ts: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), metrics: { cost_usd } }));
    const [row] = await rollupCosts(stream, { by: ["date"] });
    const [reversed] = await rollupCosts([...stream].reverse(), { by: ["date"] });
    // Exact in integer tenths of a micro-dollar, rounded once.
    const units = costs.reduce((total, cost) => total + Math.round(cost * 1e7), 0);
    expect(row!.cost_usd).toBe(units / 1e7);
    expect(reversed!.cost_usd).toBe(row!.cost_usd);
    expect(await rollupCosts(Array.from({ length: 3 }, () => e({ event: "cost_update", metrics: { cost_usd: 0.0029 } })), { by: [] })).toEqual([
      { invocations: 3, total_tokens: 0, cost_usd: 0.0087 },
    ]);
  });

  it("keeps rows up to date one event at a time with CostRollupAccumulator", () => {
    const rollup = new CostRollupAccumulator(["model"]);
    expect(rollup.rows()).toEqual([]);
    rollup.add(events[0]!);
    expect(rollup.rows()).toEqual([{ model: "gpt-4o", invocations: 1, total_tokens: 10, cost_usd: 0.1 }]);
    for (const event of events.slice(1)) rollup.add(event);
    expect(rollup.rows()).toEqual([
      { model: "gpt-4o", invocations: 3, total_tokens: 15, cost_usd: 0.6 },
      { model: null, invocations: 1, total_tokens: 0, cost_usd: 0 },
    ]);
  });

  it("keeps a null key apart from the string \"null\"", async () => {
    const rows = await rollupCosts([e({ event: "cost_update", tool: "null" }), e({ event: "cost_update" })], { by: ["tool", "model"] });
    expect(rows).toEqual([
      { tool: "null", model: null, invocations: 1, total_tokens: 0, cost_usd: 0 },
      { tool: null, model: null, invocations: 1, total_tokens: 0, cost_usd: 0 },
    ]);
  });

  it("rolls up a log read with readEvents", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, events.map((ev) => `${serializeEvent(ev)}\n`).join(""));
    expect(await rollupCosts(readEvents(path), { by: ["model"] })).toEqual([
      { model: "gpt-4o", invocations: 3, total_tokens: 15, cost_usd: 0.6 },
      { model: null, invocations: 1, total_tokens: 0, cost_usd: 0 },
    ]);
  });
});
