import { describe, expect, it } from "vitest";
import { EventValidationError, parseEventBindings } from "./index.js";

describe("parseEventBindings", () => {
  it("accepts any optional event field, including the extension objects", () => {
    const bindings = { run_id: "R", task_id: "T", agent_role: "coder", tool: "cursor", attributes: { tenant: "a" }, log_paths: { out: "/x" }, metrics: { model: "m" } };
    expect(parseEventBindings(bindings)).toEqual(bindings);
  });

  it("rejects unknown keys and the per-event fields event, ts and event_id, naming each", () => {
    let error: unknown;
    try {
      parseEventBindings({ runId: "R", event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: "x", phase: 3 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).issues.map((i) => i.path).sort()).toEqual(["event", "event_id", "phase", "runId", "ts"]);
  });
});
