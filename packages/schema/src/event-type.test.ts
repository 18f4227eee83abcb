import { describe, expect, it } from "vitest";
import { EVENT_TYPES, EventType, isEventType } from "./index.js";

describe("EventType", () => {
  it("names exactly the six lifecycle event types", () => {
    expect(EVENT_TYPES).toEqual([
      "task_started",
      "task_completed",
      "task_failed",
      "execution_start",
      "execution_complete",
      "cost_update",
    ]);
    expect(EventType.TASK_STARTED).toBe("task_started");
    expect(EventType.COST_UPDATE).toBe("cost_update");
  });

  it("round-trips every type through its string form", () => {
    for (const type of EVENT_TYPES) {
      expect(isEventType(String(type))).toBe(true);
      expect(JSON.parse(JSON.stringify(type))).toBe(type);
    }
    expect(isEventType("task_paused")).toBe(false);
    expect(isEventType(undefined)).toBe(false);
  });

  it("cannot be modified at run time", () => {
    expect(Object.isFrozen(EVENT_TYPES)).toBe(true);
  });
});
