import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEvent, EVENT_TYPES, parseEvent, serializeEvent, type TelemetryEvent } from "./index.js";

describe("serializeEvent", () => {
  it("writes exactly one line even when strings hold newlines, U+2028 and emoji", () => {
    const e = createEvent({ event: "task_failed", summary: "line1\nline2\r\n\u2028\u2029 🚀 \"q\" \\ end", log_paths: { "a\nb": "c\u2028" } });
    const line = serializeEvent(e);
    expect(line).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(line.endsWith("\n")).toBe(false);
    expect(line).toContain("\\u2028");
    expect(parseEvent(JSON.parse(line))).toEqual(e);
  });

  it("omits absent and null optional fields", () => {
    const e = { event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: "x", run_id: null, summary: undefined } as unknown as TelemetryEvent;
    expect(serializeEvent(e)).toBe('{"event":"task_started","ts":"2026-01-01T00:00:00Z","event_id":"x"}');
  });

  it("writes a newer writer's unknown fields unchanged, nulls included", () => {
    const e = { event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: "x", future_field: null, run_id: null } as unknown as TelemetryEvent;
    expect(serializeEvent(e)).toBe('{"event":"task_started","ts":"2026-01-01T00:00:00Z","event_id":"x","future_field":null}');
  });

  it("keeps null attribute values, which are data", () => {
    const e = createEvent({ event: "task_started", attributes: { note: null } });
    expect(serializeEvent(e)).toContain('"attributes":{"note":null}');
  });

  it("writes fields in the reference order", () => {
    const e = createEvent({ event_id: "x", summary: "s", status: "ok", event: "task_started", ts: "2026-01-01T00:00:00Z", run_id: "r" });
    expect(serializeEvent(e)).toBe('{"event":"task_started","ts":"2026-01-01T00:00:00Z","run_id":"r","status":"ok","summary":"s","event_id":"x"}');
  });

  it("round-trips arbitrary events: parseEvent(JSON.parse(serializeEvent(e))) equals e", () => {
    const optionalString = fc.option(fc.string({ unit: "binary" }), { nil: undefined });
    const key = fc.string().filter((k) => k !== "__proto__");
    const arbitraryEvent = fc.record(
      {
        event: fc.constantFrom(...EVENT_TYPES),
        ts: fc.date({ min: new Date(0), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
        run_id: optionalString,
        task_id: optionalString,
        summary: optionalString,
        // "__proto__" keys are refused by design (cross-language-rules.test.ts); -0 is written as 0, as JSON has no -0.
        log_paths: fc.option(fc.dictionary(key, fc.string({ unit: "binary" })), { nil: undefined }),
        metrics: fc.option(
          fc.record({ total_tokens: fc.nat(), cost_usd: fc.double({ min: 0, max: 1e9, noNaN: true }) }, { requiredKeys: [] }),
          { nil: undefined },
        ),
        attributes: fc.option(
          fc.dictionary(key, fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)), fc.boolean(), fc.constant(null))),
          { nil: undefined },
        ),
      },
      { requiredKeys: ["event", "ts"] },
    );
    fc.assert(
      fc.property(arbitraryEvent, (input) => {
        const e = createEvent(input);
        const line = serializeEvent(e);
        expect(line).not.toMatch(/[\n\r\u2028\u2029]/);
        expect(parseEvent(JSON.parse(line))).toEqual(e);
      }),
    );
  });
});
