import { EVENT_FIELDS, EVENT_TYPES, createEvent, safeParseEvent, serializeEvent } from "@telemetry/schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FAST_VALIDATION_ENABLED, fastValidate } from "./fast-validate.js";

const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const anyValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), scalar, { maxKeys: 2 }));
const timestamp = fc.oneof(
  fc.date({ min: new Date("1970-01-01"), max: new Date("2200-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("2026-02-13T10:05:23.330081+00:00", "2026-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "2026-02-13T10:05:23", "2026-02-13T24:00:00Z", ""),
  fc.string(),
);
const number = fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.constant(2 ** 53), fc.constant(-0), fc.constant(1e308 * 10));
const metrics = fc.dictionary(
  fc.constantFrom("model", "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd", "latency_ms", "extra"),
  fc.oneof(number, fc.string(), fc.constant(null)),
);
const stringRecord = fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "0", "10")), fc.oneof(fc.string(), scalar));
const fieldValue: Record<string, fc.Arbitrary<unknown>> = {
  event: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.string()),
  ts: timestamp,
  log_paths: stringRecord,
  metrics,
  attributes: fc.oneof(stringRecord, fc.dictionary(fc.string(), anyValue)),
  event_id: fc.oneof(fc.uuid(), fc.constant(""), fc.integer()),
};
const validMetrics = fc.record(
  { model: fc.string(), prompt_tokens: fc.nat(), completion_tokens: fc.nat(), total_tokens: fc.nat(), cost_usd: fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), latency_ms: fc.nat() },
  { requiredKeys: [] },
);
const validField: Record<string, fc.Arbitrary<unknown>> = {
  event: fc.constantFrom(...EVENT_TYPES),
  ts: fc.date({ min: new Date("1970-01-01"), max: new Date("2200-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
  log_paths: fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
  metrics: validMetrics,
  attributes: fc.dictionary(fc.string(), scalar, { maxKeys: 3 }),
  event_id: fc.uuid(),
};
/** Mostly valid values; sometimes an awkward one. */
const field = (name: string): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 12, arbitrary: validField[name] ?? fc.string() }, { weight: 1, arbitrary: fieldValue[name] ?? fc.string() }, { weight: 1, arbitrary: anyValue });

/** Objects that are often valid events, sometimes slightly wrong, in canonical or shuffled key order. */
const candidate = fc
  .record(Object.fromEntries(EVENT_FIELDS.map((name) => [name, field(name)])), { requiredKeys: ["event", "ts", "event_id"] })
  .chain((known) =>
    fc.tuple(
      fc.constant(known),
      fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("0", "__proto__", "run_id")), anyValue, { maxKeys: 2 }) }),
      fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    ),
  )
  .map(([known, extra, shuffle]) => {
    const entries = [...Object.entries(known), ...Object.entries(extra)];
    if (shuffle) entries.reverse();
    // Built the way JSON.parse builds objects, so "__proto__" becomes an own key.
    return JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`).join(",")}}`) as unknown;
  });

describe("fastValidate", () => {
  it("is compiled from the current schema (the fast path is in use)", () => {
    expect(FAST_VALIDATION_ENABLED).toBe(true);
    const event = createEvent({ event: "cost_update", run_id: "R", metrics: { model: "m", total_tokens: 3, cost_usd: 0.5 }, attributes: { a: 1, b: null } });
    expect(fastValidate(JSON.parse(serializeEvent(event)))).toBe(true);
  });

  it("accepts a value only when zod accepts it and returns an identical value, key order included", () => {
    let accepted = 0;
    fc.assert(
      fc.property(candidate, (value) => {
        if (!fastValidate(value)) return;
        accepted++;
        const result = safeParseEvent(value);
        expect(result.success).toBe(true);
        if (result.success) expect(JSON.stringify(result.data)).toBe(JSON.stringify(value));
      }),
      { numRuns: 5000 },
    );
    // The property is not vacuous: many candidates take the fast path.
    expect(accepted).toBeGreaterThan(500);
  });

  it("takes the fast path for valid events as serializeEvent writes them", () => {
    let fast = 0;
    let valid = 0;
    fc.assert(
      fc.property(candidate, (value) => {
        const result = safeParseEvent(value);
        if (!result.success) return;
        valid++;
        const line = JSON.parse(serializeEvent(result.data)) as unknown;
        if (fastValidate(line)) fast++;
        else expect(safeParseEvent(line).success).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // Only integer-like or "__proto__" keys (which zod copies differently) should need zod.
    expect(valid).toBeGreaterThan(300);
    expect(fast / valid).toBeGreaterThan(0.9);
  });

  it("rejects what zod rejects: wrong types, bad timestamps, unknown metrics keys, fractional tokens", () => {
    const base = { event: "task_started", ts: "2026-01-01T00:00:00Z" };
    for (const bad of [
      { ...base, run_id: 1, event_id: "x" },
      { event: "task_started", ts: "2026-02-30T00:00:00Z", event_id: "x" },
      { ...base, metrics: { tokens: 1 }, event_id: "x" },
      { ...base, metrics: { total_tokens: 1.5 }, event_id: "x" },
      { ...base, metrics: { cost_usd: -1 }, event_id: "x" },
      { ...base, event_id: "" },
      { ...base, attributes: { a: [1] }, event_id: "x" },
      [base],
      null,
    ]) {
      expect(fastValidate(bad)).toBe(false);
      expect(safeParseEvent(bad).success).toBe(false);
    }
  });
});
