import { readFileSync } from "node:fs";
import { parseEvent, serializeEvent } from "@telemetry/schema";
import { fixturePath } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { eventToInvocation, invocationToEvent } from "./invocation-event.js";
import { InvocationValidationError, validateInvocationRecord } from "./invocation-record.js";
import { aRecord } from "./records.fixture.js";

const defaults = { privacyLevel: "full" as const, now: () => new Date("2026-03-01T08:00:00.000Z") };

describe("invocation <-> cost_update event", () => {
  it("maps every record field onto the documented event field", () => {
    const row = validateInvocationRecord(aRecord({ invocation_id: "inv-1", status: "error", error_message: 'HTTP 500: "overloaded"' }), defaults);
    expect(invocationToEvent(row)).toEqual({
      event: "cost_update",
      ts: "2026-01-10T12:00:00.000000+00:00",
      agent_role: "agent-a",
      tool: "claude-code",
      status: "error",
      summary: 'HTTP 500: "overloaded"',
      metrics: { model: "claude-3.5-sonnet", prompt_tokens: 100, completion_tokens: 50, total_tokens: 150, cost_usd: 0.0015, latency_ms: 1200 },
      attributes: { privacy_level: "full" },
      event_id: "inv-1",
    });
  });

  it("omits agent_role and summary when the record has none", () => {
    const event = invocationToEvent(validateInvocationRecord(aRecord({ agent_name: null }), defaults));
    expect(event).not.toHaveProperty("agent_role");
    expect(event).not.toHaveProperty("summary");
  });

  it("reads back the same row from the serialized line", () => {
    const row = validateInvocationRecord(aRecord({ agent_name: null, status: "timeout", error_message: "rate limited" }), defaults);
    const line = serializeEvent(invocationToEvent(row));
    expect(eventToInvocation(parseEvent(JSON.parse(line)))).toEqual(row);
  });

  it("reports the schema's objections under the record's field names", () => {
    const row = { ...validateInvocationRecord(aRecord(), defaults), timestamp: "2026-02-30T00:00:00+00:00" };
    try {
      invocationToEvent(row);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvocationValidationError);
      expect((error as InvocationValidationError).issues[0]!.path).toBe("timestamp");
    }
  });

  it("ignores events that do not carry an invocation, such as the Python reference's cost_update events", () => {
    const lines = readFileSync(fixturePath("python-reference", "events.jsonl"), "utf8").split("\n").slice(0, -1);
    const events = lines.map((l) => parseEvent(JSON.parse(l)));
    expect(events.some((e) => e.event === "cost_update")).toBe(true);
    expect(events.map(eventToInvocation).filter((r) => r !== undefined)).toEqual([]);
  });
});
