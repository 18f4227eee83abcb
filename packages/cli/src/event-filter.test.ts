import { createEvent } from "@telemetry/schema";
import { describe, expect, it } from "vitest";
import { CliUsageError } from "./cli-error.js";
import { buildEventFilter, matchesEventFilter } from "./event-filter.js";

const now = new Date("2026-02-13T12:00:00Z");
const event = createEvent({
  event: "task_failed",
  ts: "2026-02-13T11:30:00+00:00",
  run_id: "RUN-1",
  task_id: "t1",
  agent_role: "coder",
  tool: "codex",
  status: "failed",
});

describe("buildEventFilter", () => {
  it("maps flags to wire fields and accepts repeated or comma-separated types", () => {
    expect(buildEventFilter({ run: "RUN-1", agent: "coder", type: ["task_failed,cost_update", "task_started"] }, now)).toEqual({
      run_id: "RUN-1",
      agent_role: "coder",
      event: ["task_failed", "cost_update", "task_started"],
    });
  });

  it("rejects an unknown event type and lists the valid ones", () => {
    expect(() => buildEventFilter({ type: ["task_exploded"] }, now)).toThrow(CliUsageError);
    expect(() => buildEventFilter({ type: ["task_exploded"] }, now)).toThrow(/task_started, task_completed/);
  });

  it("resolves relative times against now and refuses an empty window", () => {
    expect(buildEventFilter({ since: "1h" }, now).since?.toISOString()).toBe("2026-02-13T11:00:00.000Z");
    expect(() => buildEventFilter({ since: "1h", until: "2h" }, now)).toThrow(/must be before --until/);
  });
});

describe("matchesEventFilter", () => {
  it("requires every given field to match exactly", () => {
    expect(matchesEventFilter(event, { run_id: "RUN-1", status: "failed" })).toBe(true);
    expect(matchesEventFilter(event, { run_id: "RUN-1", status: "completed" })).toBe(false);
    expect(matchesEventFilter(event, { event: ["cost_update"] })).toBe(false);
  });

  it("compares times as instants: since is inclusive, until exclusive", () => {
    expect(matchesEventFilter(event, { since: new Date("2026-02-13T11:30:00Z") })).toBe(true);
    expect(matchesEventFilter(event, { until: new Date("2026-02-13T11:30:00Z") })).toBe(false);
    expect(matchesEventFilter(event, { since: new Date("2026-02-13T13:00:00+02:00") })).toBe(true);
  });
});
