import { createEvent, type EventInput, type TelemetryEvent } from "@telemetry/schema";
import { fixturePath } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { readEvents, RunSummaryAccumulator, summarizeRuns } from "./index.js";

const e = (input: Partial<EventInput> & Pick<EventInput, "event">): TelemetryEvent => createEvent({ ts: "2026-01-01T00:00:00Z", ...input });

describe("summarizeRuns", () => {
  const events = [
    e({ event: "task_started", run_id: "R1", task_id: "a", agent_role: "pedro", tool: "codex", ts: "2026-01-01T10:00:00.000100+00:00" }),
    e({ event: "cost_update", run_id: "R1", task_id: "a", metrics: { total_tokens: 100, cost_usd: 0.1 } }),
    e({ event: "task_failed", run_id: "R1", task_id: "a", ts: "2026-01-01T12:00:01+02:00" }),
    e({ event: "task_started", run_id: "R2", task_id: "x", ts: "2026-01-02T00:00:00Z" }),
    e({ event: "task_started", run_id: "R1", task_id: "b", agent_role: "alphonso", tool: "claude-code", ts: "2026-01-01T10:00:02Z" }),
    e({ event: "cost_update", run_id: "R1", task_id: "b", metrics: { prompt_tokens: 5, completion_tokens: 7, cost_usd: 0.2 } }),
    e({ event: "task_completed", run_id: "R1", task_id: "b", agent_role: "pedro", ts: "2026-01-01T10:00:03Z" }),
    e({ event: "task_completed", run_id: "R1", task_id: "a", ts: "2026-01-01T10:00:04Z" }),
    e({ event: "execution_start", task_id: "no-run" }),
  ];

  it("summarizes each run: first/last ts as instants, duration, tasks by final outcome, agents, tools, tokens, cost", async () => {
    const runs = await summarizeRuns(events);
    expect(runs).toEqual([
      {
        run_id: "R1",
        first_ts: "2026-01-01T00:00:00Z",
        last_ts: "2026-01-01T10:00:04Z",
        duration_ms: 36_004_000,
        events: 7,
        tasks: { total: 2, completed: 2, failed: 0, unfinished: 0 },
        agents: ["pedro", "alphonso"],
        tools: ["codex", "claude-code"],
        total_tokens: 112,
        cost_usd: 0.3,
      },
      {
        run_id: "R2",
        first_ts: "2026-01-02T00:00:00Z",
        last_ts: "2026-01-02T00:00:00Z",
        duration_ms: 0,
        events: 1,
        tasks: { total: 1, completed: 0, failed: 0, unfinished: 1 },
        agents: [],
        tools: [],
        total_tokens: 0,
        cost_usd: 0,
      },
    ]);
  });

  it("keeps summaries up to date one event at a time with RunSummaryAccumulator, equal to summarizeRuns", async () => {
    const runs = new RunSummaryAccumulator();
    for (const event of events.slice(0, 2)) runs.add(event);
    expect(runs.summaries()).toEqual([expect.objectContaining({ run_id: "R1", events: 2, cost_usd: 0.1 })]);
    for (const event of events.slice(2)) runs.add(event);
    expect(runs.summaries()).toEqual(await summarizeRuns(events));
    expect(runs.summaries()[0]!.cost_usd).toBe(0.3);
  });

  it("counts a task whose last outcome is a failure as failed", async () => {
    const [run] = await summarizeRuns([e({ event: "task_completed", run_id: "R", task_id: "t" }), e({ event: "task_failed", run_id: "R", task_id: "t" })]);
    expect(run!.tasks).toEqual({ total: 1, completed: 0, failed: 1, unfinished: 0 });
  });

  it("accepts an async iterable such as readEvents and summarizes the reference fixture's 12 runs", async () => {
    const runs = await summarizeRuns(readEvents(fixturePath("python-reference", "events.jsonl")));
    expect(runs).toHaveLength(12);
    expect(runs.reduce((n, r) => n + r.events, 0)).toBe(170);
    expect(runs.reduce((n, r) => n + r.tasks.completed + r.tasks.failed, 0)).toBe(34);
    for (const run of runs) expect(Date.parse(run.last_ts)).toBeGreaterThanOrEqual(Date.parse(run.first_ts));
  });
});

