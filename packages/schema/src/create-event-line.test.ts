import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEvent, createEventLine, EVENT_FIELDS, EVENT_TYPES, EventValidationError, serializeEvent, type EventInput } from "./index.js";

/** What createEvent then serializeEvent make of `input`: the line, or the error's issues. */
function referenceOutcome(input: unknown): { line: string } | { issues: unknown } {
  try {
    return { line: serializeEvent(createEvent(input as EventInput)) };
  } catch (error) {
    if (!(error instanceof EventValidationError)) throw error;
    return { issues: error.issues };
  }
}

function lineOutcome(input: unknown): { line: string } | { issues: unknown } {
  try {
    return { line: createEventLine(input as EventInput) };
  } catch (error) {
    if (!(error instanceof EventValidationError)) throw error;
    return { issues: error.issues };
  }
}

const text = fc.oneof(fc.string({ unit: "binary" }), fc.constantFrom("", "a\u0085b", "\u2028", "\u2029", 'q"\\'));
const timestamp = fc.constantFrom("2026-02-13T10:05:23.330081+00:00", "2026-02-13T10:05:23Z", "2024-02-29T23:59:59.1-05:30", "2026-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "2026-02-13T10:05:23");
const count = fc.oneof(fc.nat(), fc.constantFrom(-1, 1.5, 2 ** 53, Number.NaN));
const fieldValue: Record<string, fc.Arbitrary<unknown>> = {
  event: fc.constantFrom(...EVENT_TYPES, "task_paused"),
  ts: timestamp,
  event_id: text,
  log_paths: fc.dictionary(fc.string(), fc.oneof(text, fc.constant(1))),
  metrics: fc.record(
    { model: text, prompt_tokens: count, completion_tokens: count, total_tokens: count, cost_usd: fc.oneof(fc.double(), fc.constant(-0)), latency_ms: fc.double({ min: 0 }) },
    { requiredKeys: [] },
  ),
  attributes: fc.dictionary(fc.string().filter((k) => k !== "__proto__"), fc.oneof(text, fc.double(), fc.boolean(), fc.constant(null))),
};
/** Fields a test may leave out or set to null/undefined; ts and event_id are always given (their defaults are random). */
const OPTIONAL_FIELDS = EVENT_FIELDS.filter((f) => f !== "ts" && f !== "event_id");
/** Inputs with fields in any order (often the wire order), values on the schema's boundaries, sometimes null or undefined. */
const input = fc
  .tuple(
    fc.subarray(OPTIONAL_FIELDS),
    fc.boolean(),
    fc.dictionary(fc.constantFrom(...OPTIONAL_FIELDS), fc.constantFrom(null, undefined), { maxKeys: 1 }),
  )
  .map(([optional, shuffled, odd]) => [EVENT_FIELDS.filter((f) => f === "ts" || f === "event_id" || optional.includes(f)), shuffled, odd] as const)
  .chain(([fields, shuffled, odd]) =>
    fc.tuple(fc.tuple(...fields.map((f) => fieldValue[f] ?? text)), shuffled ? fc.shuffledSubarray(fields, { minLength: fields.length }) : fc.constant(fields)).map(([values, order]) => {
      const value: Record<string, unknown> = {};
      for (const field of order) value[field] = values[fields.indexOf(field)];
      return { ...value, ...odd };
    }),
  );

describe("createEventLine", () => {
  it("writes exactly the line serializeEvent(createEvent(input)) writes, and refuses what createEvent refuses with the same issues", () => {
    fc.assert(
      fc.property(input, (value) => {
        expect(lineOutcome(value)).toEqual(referenceOutcome(value));
      }),
      { numRuns: 2000 },
    );
  }, 60_000);

  it("writes fields in wire order and escapes line separators whatever order the input lists them in", () => {
    const line = createEventLine({ event_id: "e-1", summary: "a\u2028b\u0085", event: "task_failed", ts: "2026-01-01T00:00:00Z" });
    expect(line).toBe('{"event":"task_failed","ts":"2026-01-01T00:00:00Z","summary":"a\\u2028b\\u0085","event_id":"e-1"}');
  });

  it("fills a missing ts and event_id as createEvent does", () => {
    const event = JSON.parse(createEventLine({ event: "task_started" })) as { ts: string; event_id: string };
    expect(Date.parse(event.ts)).toBeGreaterThan(0);
    expect(event.event_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("throws EventValidationError naming the bad field", () => {
    expect(() => createEventLine({ event: "cost_update", ts: "2026-02-30T00:00:00Z", event_id: "x" })).toThrow(EventValidationError);
    expect(() => createEventLine({ event: "cost_update", runId: "x" } as unknown as EventInput)).toThrow(/runId/);
  });
});
