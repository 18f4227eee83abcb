import { createEvent } from "@telemetry/schema";
import { describe, expect, it } from "vitest";
import { CliUsageError } from "./cli-error.js";
import { createEventMatcher } from "@telemetry/reader";
import { buildEventFilter } from "./event-filter.js";

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

describe("a filter applied event by event (tail -f, stats), through the reader's matcher", () => {
  it("requires every given field to match exactly", () => {
    expect(createEventMatcher({ run_id: "RUN-1", status: "failed" })(event)).toBe(true);
    expect(createEventMatcher({ run_id: "RUN-1", status: "completed" })(event)).toBe(false);
    expect(createEventMatcher({ event: ["cost_update"] })(event)).toBe(false);
  });

  it("compares times as instants: since is inclusive, until exclusive", () => {
    expect(createEventMatcher({ since: new Date("2026-02-13T11:30:00Z") })(event)).toBe(true);
    expect(createEventMatcher({ until: new Date("2026-02-13T11:30:00Z") })(event)).toBe(false);
    expect(createEventMatcher({ since: new Date("2026-02-13T13:00:00+02:00") })(event)).toBe(true);
  });
});
