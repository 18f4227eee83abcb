import { readFileSync } from "node:fs";
import { fixturePath } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { EventValidationError, parseEvent, safeParseEvent } from "./index.js";

const referenceLines = readFileSync(fixturePath("python-reference", "events.jsonl"), "utf8").split("\n");

describe("parseEvent", () => {
  it("accepts every event the Python reference wrote", () => {
    const complete = referenceLines.slice(0, -1);
    expect(complete).toHaveLength(170);
    for (const line of complete) {
      const raw = JSON.parse(line) as Record<string, unknown>;
      expect(parseEvent(raw)).toEqual(raw);
    }
  });

  it("cannot read the torn last line of the reference log", () => {
    const torn = referenceLines.at(-1)!;
    expect(torn.length).toBeGreaterThan(0);
    expect(() => JSON.parse(torn) as unknown).toThrow(SyntaxError);
  });

  it("keeps unknown fields from a newer writer", () => {
    const e = parseEvent({ event: "task_started", ts: "2026-01-01T00:00:00+00:00", event_id: "a", future_field: { x: 1 } });
    expect((e as unknown as Record<string, unknown>).future_field).toEqual({ x: 1 });
  });

  it("still rejects bad values in known fields", () => {
    const result = safeParseEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: "a", run_id: 5 });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error).toBeInstanceOf(EventValidationError);
      expect(result.error.issues).toEqual([{ path: "run_id", message: "expected string, received number" }]);
    }
  });

  it("requires ts and event_id on stored events", () => {
    const result = safeParseEvent({ event: "task_started" });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.map((i) => i.path)).toEqual(["ts", "event_id"]);
  });

  it("throws EventValidationError from parseEvent", () => {
    expect(() => parseEvent("nope")).toThrow(EventValidationError);
  });
});
