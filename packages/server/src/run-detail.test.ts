import type { EventInput, TelemetryEvent } from "@telemetry/schema";
import { createEvent, serializeEvent } from "@telemetry/schema";
import { describe, expect, it } from "vitest";
import { RunDetails } from "./run-detail.js";

function add(details: RunDetails, input: EventInput): TelemetryEvent {
  const event = createEvent(input);
  details.add(event, serializeEvent(event));
  return event;
}

describe("run details", () => {
  it("keeps each run's newest lines, and gives up the lines of the runs updated longest ago past the total budget", () => {
    const details = new RunDetails({ recentLinesPerRun: 3, recentLinesTotal: 5 });
    const a = [1, 2, 3, 4].map((n) => add(details, { event: "cost_update", run_id: "A", summary: `a${n}` }));
    expect(details.get("A")!.recentLines.map((l) => (JSON.parse(l) as { summary: string }).summary)).toEqual(["a2", "a3", "a4"]);
    expect(details.get("A")!.events).toBe(4);
    add(details, { event: "cost_update", run_id: "B", summary: "b1" });
    add(details, { event: "cost_update", run_id: "B", summary: "b2" });
    // 3 + 2 = 5 lines: within budget. One more for B goes over: A (updated longest ago) gives its lines up.
    add(details, { event: "cost_update", run_id: "B", summary: "b3" });
    expect(details.get("A")!.recentLines).toEqual([]);
    expect(details.get("A")!.events).toBe(4);
    expect(details.get("B")!.recentLines).toHaveLength(3);
    expect(a).toHaveLength(4);
  });

  it("pairs each execution_complete with the open execution of its tool and counts executions past the cap", () => {
    const details = new RunDetails({ executionsPerTask: 2 });
    const base = { run_id: "R", task_id: "t" } as const;
    add(details, { ...base, event: "execution_start", tool: "codex", ts: "2026-11-30T10:00:00Z" });
    add(details, { ...base, event: "execution_start", tool: "cursor", ts: "2026-11-30T10:00:01Z" });
    add(details, { ...base, event: "execution_complete", tool: "codex", status: "failed", summary: "exit 1", ts: "2026-11-30T10:00:02Z" });
    add(details, { ...base, event: "execution_start", tool: "codex", ts: "2026-11-30T10:00:03Z" });
    const task = details.get("R")!.tasks[0]!;
    expect(task.executions.map((e) => [e.tool, e.started_ts, e.ended_ts, e.status])).toEqual([
      ["codex", "2026-11-30T10:00:00Z", "2026-11-30T10:00:02Z", "failed"],
      ["cursor", "2026-11-30T10:00:01Z", null, null],
    ]);
    expect(task.executions_omitted).toBe(1);
    expect(task.failures).toEqual([{ ts: "2026-11-30T10:00:02Z", event: "execution_complete", tool: "codex", summary: "exit 1" }]);
    expect(task.outcome).toBe("unfinished");
    expect(task.ended_ts).toBeNull();
  });
});
