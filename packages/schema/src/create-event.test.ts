import { describe, expect, it } from "vitest";
import { createEvent, EventValidationError, type EventInput } from "./index.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    createEvent(input as EventInput);
  } catch (error) {
    expect(error).toBeInstanceOf(EventValidationError);
    const e = error as EventValidationError;
    expect(e.code).toBe("EVENT_INVALID");
    return [...e.issues];
  }
  throw new Error("expected createEvent to throw");
}

describe("createEvent", () => {
  it("fills ts with the current UTC time and a unique UUID v4 event_id", () => {
    const before = Date.now();
    const a = createEvent({ event: "task_started" });
    const b = createEvent({ event: "task_started" });
    expect(a.ts).toMatch(/Z$/);
    expect(Date.parse(a.ts)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(a.ts)).toBeLessThanOrEqual(Date.now());
    expect(a.event_id).toMatch(UUID_V4);
    expect(b.event_id).not.toBe(a.event_id);
  });

  it("keeps a caller-supplied ts and event_id", () => {
    const e = createEvent({ event: "task_started", ts: "2026-02-13T10:05:23.330081+00:00", event_id: "legacy-1" });
    expect(e.ts).toBe("2026-02-13T10:05:23.330081+00:00");
    expect(e.event_id).toBe("legacy-1");
  });

  it("accepts every field of the format, extensions included", () => {
    const input: EventInput = {
      event: "cost_update",
      ts: "2026-02-13T10:05:23Z",
      run_id: "RUN-1",
      task_id: "T-1",
      phase: "build",
      agent_role: "python-pedro",
      tool: "claude-code",
      mode: "batch",
      status: "running",
      log_paths: { stdout: "out.log", stderr: "err.log" },
      summary: "tokens=8789",
      metrics: { model: "gpt-4o", prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cost_usd: 0.01, latency_ms: 12.5 },
      attributes: { privacy_level: "metadata", retries: 2, cached: false, note: null },
      event_id: "e-1",
    };
    expect(createEvent(input)).toEqual(input);
  });

  it("returns an event frozen all the way down", () => {
    const e = createEvent({
      event: "cost_update",
      log_paths: { stdout: "a" },
      metrics: { total_tokens: 1 },
      attributes: { k: "v" },
    });
    expect(Object.isFrozen(e)).toBe(true);
    expect(Object.isFrozen(e.log_paths)).toBe(true);
    expect(Object.isFrozen(e.metrics)).toBe(true);
    expect(Object.isFrozen(e.attributes)).toBe(true);
    expect(() => {
      (e.log_paths as Record<string, string>).stdout = "b";
    }).toThrow(TypeError);
  });

  it("does not share nested objects with the caller's input", () => {
    const log_paths = { stdout: "a" };
    const e = createEvent({ event: "task_started", log_paths });
    log_paths.stdout = "changed";
    expect(e.log_paths?.stdout).toBe("a");
  });

  it("orders fields as the wire format does and drops undefined ones", () => {
    const e = createEvent({ event_id: "x", summary: "s", run_id: undefined, event: "task_started", ts: "2026-01-01T00:00:00Z" });
    expect(Object.keys(e)).toEqual(["event", "ts", "summary", "event_id"]);
  });

  it("rejects an unknown event type, naming the field", () => {
    const issues = issuesOf({ event: "task_paused" });
    expect(issues).toEqual([{ path: "event", message: expect.stringContaining('received "task_paused"') as string }]);
  });

  it("rejects wrong field types with each path", () => {
    const issues = issuesOf({ event: "task_started", run_id: 42, log_paths: { stdout: 1 } });
    expect(issues.map((i) => i.path)).toEqual(["run_id", "log_paths.stdout"]);
    expect(issues[0]!.message).toBe("expected string, received number");
  });

  it("rejects an unknown key and suggests the snake_case field", () => {
    const issues = issuesOf({ event: "task_started", runId: "RUN-1" });
    expect(issues).toEqual([{ path: "runId", message: 'unknown field (did you mean "run_id"?)' }]);
  });

  it("rejects a ts that is not ISO 8601 with an offset", () => {
    for (const ts of ["yesterday", "2026-02-13 10:05:23", "2026-02-13T10:05:23", "2026-13-01T00:00:00Z"]) {
      const issues = issuesOf({ event: "task_started", ts });
      expect(issues[0]!.path).toBe("ts");
      expect(issues[0]!.message).toContain("ISO 8601");
    }
  });

  it("rejects negative and fractional token counts", () => {
    expect(issuesOf({ event: "cost_update", metrics: { prompt_tokens: -1 } })).toEqual([
      { path: "metrics.prompt_tokens", message: "must be >= 0, received -1" },
    ]);
    expect(issuesOf({ event: "cost_update", metrics: { total_tokens: 1.5 } })[0]!.path).toBe("metrics.total_tokens");
  });

  it("rejects NaN and Infinity cost", () => {
    expect(issuesOf({ event: "cost_update", metrics: { cost_usd: Number.NaN } })[0]).toEqual({
      path: "metrics.cost_usd",
      message: "expected number, received NaN",
    });
    expect(issuesOf({ event: "cost_update", metrics: { cost_usd: Number.POSITIVE_INFINITY } })[0]!.path).toBe("metrics.cost_usd");
  });

  it("rejects non-scalar attribute values", () => {
    const issues = issuesOf({ event: "task_started", attributes: { nested: { a: 1 }, list: [1] } });
    expect(issues.map((i) => i.path).sort()).toEqual(["attributes.list", "attributes.nested"]);
    expect(issues[0]!.message).toContain("expected string, number, boolean or null");
  });

  it("rejects an empty event_id and a missing event", () => {
    expect(issuesOf({ event: "task_started", event_id: "" })).toEqual([{ path: "event_id", message: "must not be empty" }]);
    expect(issuesOf({})[0]!.path).toBe("event");
  });

  it("rejects a value that is not an object", () => {
    expect(issuesOf(null)).toEqual([{ path: "", message: "expected an event object, received null" }]);
  });

  it("names every bad field in the error message", () => {
    expect(() => createEvent({ event: "nope", run_id: 1 } as unknown as EventInput)).toThrow(/event: .*; run_id: expected string/);
  });
});

describe("isTimestamp", () => {
  it("accepts exactly the ts values an event accepts", async () => {
    const { isTimestamp } = await import("./index.js");
    expect(isTimestamp("2026-02-13T10:05:23.330081+00:00")).toBe(true);
    expect(isTimestamp("2024-02-29T00:00:00Z")).toBe(true);
    expect(isTimestamp("2026-02-30T00:00:00Z")).toBe(false);
    expect(isTimestamp("2026-02-13T10:05:23")).toBe(false);
    expect(isTimestamp(17)).toBe(false);
  });
});
