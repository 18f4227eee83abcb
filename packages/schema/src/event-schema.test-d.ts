import { describe, expectTypeOf, it } from "vitest";
import { EventType, type EventInput, type TelemetryEvent } from "./index.js";

describe("types", () => {
  it("EventType is the union of the six strings", () => {
    expectTypeOf<EventType>().toEqualTypeOf<
      "task_started" | "task_completed" | "task_failed" | "execution_start" | "execution_complete" | "cost_update"
    >();
    expectTypeOf(EventType.TASK_FAILED).toEqualTypeOf<"task_failed">();
  });

  it("TelemetryEvent is deeply readonly", () => {
    const e = {} as TelemetryEvent;
    // @ts-expect-error top-level fields are readonly
    e.run_id = "x";
    // @ts-expect-error nested records are readonly
    e.log_paths!.stdout = "x";
    // @ts-expect-error metrics are readonly
    e.metrics!.cost_usd = 1;
    expectTypeOf(e.event).toEqualTypeOf<EventType>();
    expectTypeOf(e.ts).toEqualTypeOf<string>();
  });

  it("EventInput makes ts and event_id optional and rejects unknown keys", () => {
    expectTypeOf<{ event: "task_started" }>().toExtend<EventInput>();
    // @ts-expect-error a typo is not an EventInput
    const typo: EventInput = { event: "task_started", runId: "x" };
    void typo;
  });
});
