import { createEvent, type EventInput, type TelemetryEvent } from "@telemetry/schema";
import { describe, expect, it } from "vitest";
import { simulateAgentRuns, type DemoPlan } from "./demo-simulation.js";

const plan: DemoPlan = {
  runs: 3,
  tasksPerRun: 5,
  lanes: 2,
  seed: 42,
  start: new Date("2026-02-13T08:00:00Z"),
  failing: { run: 1, task: 3 },
};

async function play(p: DemoPlan): Promise<TelemetryEvent[]> {
  const events: TelemetryEvent[] = [];
  const sink = {
    async emit(input: EventInput) {
      await new Promise((resolve) => setImmediate(resolve));
      const event = createEvent(input);
      events.push(event);
      return event;
    },
  };
  const outcome = await simulateAgentRuns(p, () => sink);
  expect(outcome.events).toBe(events.length);
  return events;
}

describe("simulateAgentRuns", () => {
  it("fails exactly the planned task, with a failed execution before it", async () => {
    const events = await play(plan);
    const failed = events.filter((e) => e.event === "task_failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ run_id: "RUN-20260213-002", task_id: "task-04", status: "failed" });
    const ofTask = events.filter((e) => e.run_id === "RUN-20260213-002" && e.task_id === "task-04");
    expect(ofTask.filter((e) => e.event === "execution_complete").at(-1)?.status).toBe("failed");
  });

  it("starts and ends every task once, and gives each cost_update consistent tokens and a cost", async () => {
    const events = await play(plan);
    const starts = events.filter((e) => e.event === "task_started");
    const ends = events.filter((e) => e.event === "task_completed" || e.event === "task_failed");
    expect(starts).toHaveLength(plan.runs * plan.tasksPerRun);
    expect(ends).toHaveLength(plan.runs * plan.tasksPerRun);
    for (const e of events.filter((x) => x.event === "cost_update")) {
      const m = e.metrics!;
      expect(m.total_tokens).toBe((m.prompt_tokens ?? 0) + (m.completion_tokens ?? 0));
      expect(m.cost_usd).toBeGreaterThan(0);
      expect(m.model).toBeTruthy();
    }
  });

  it("interleaves producers: events of different runs alternate in emit order", async () => {
    const events = await play(plan);
    const firstRunSwitches = events.slice(0, 20).filter((e, i, all) => i > 0 && e.run_id !== all[i - 1]!.run_id).length;
    expect(firstRunSwitches).toBeGreaterThan(3);
  });

  it("produces the same figures for the same seed, whatever the interleaving", async () => {
    const costs = (events: TelemetryEvent[]): string[] =>
      events
        .filter((e) => e.event === "cost_update")
        .map((e) => `${e.run_id}/${e.task_id} ${e.ts} ${e.metrics?.cost_usd}`)
        .sort();
    expect(costs(await play(plan))).toEqual(costs(await play(plan)));
    expect(costs(await play({ ...plan, seed: 7 }))).not.toEqual(costs(await play(plan)));
  });
});
