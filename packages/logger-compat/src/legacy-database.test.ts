import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INVOCATION_FIELDS, validateInvocationRecord, type InvocationRow } from "./invocation-record.js";
import { legacyRowToInvocation, legacyRowToRecord, type LegacyRow } from "./legacy-database.js";

const CHECK = { privacyLevel: "metadata" as const, now: (): Date => new Date("2026-01-01T00:00:00Z") };

/** What the full validation makes of a row: the stored row, or undefined when it refuses it. */
function fullValidation(row: LegacyRow): InvocationRow | undefined {
  try {
    return validateInvocationRecord(legacyRowToRecord(row, CHECK.privacyLevel), CHECK);
  } catch {
    return undefined;
  }
}

// Values on every boundary a legacy column can hold (SQLite is dynamically typed: any column may hold any type).
const odd = fc.constantFrom<unknown>(null, "", 0, -1, 1.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, Buffer.from("x"), 12n);
const text = fc.oneof(fc.string({ minLength: 1 }), odd);
const column: Record<(typeof INVOCATION_FIELDS)[number], fc.Arbitrary<unknown>> = {
  invocation_id: text,
  agent_name: fc.oneof(fc.constant(null), text),
  tool_name: text,
  model_name: text,
  prompt_tokens: fc.oneof(fc.nat(), odd),
  completion_tokens: fc.oneof(fc.nat(), odd),
  total_tokens: fc.oneof(fc.nat(), odd),
  cost_usd: fc.oneof(fc.double({ min: 0, noNaN: true }), odd),
  latency_ms: fc.oneof(fc.double({ min: 0, noNaN: true }), odd),
  status: fc.oneof(fc.constantFrom("success", "error", "timeout", "SUCCESS"), odd),
  error_message: fc.oneof(fc.string(), odd),
  privacy_level: fc.oneof(fc.constantFrom("metadata", "full", "none", "all"), odd),
  timestamp: fc.oneof(
    fc.constantFrom("2026-01-08T00:08:17.341430", "2026-01-08 00:08:17", "2026-01-08T02:08:17+0200", "2026-01-08T00:08:17Z", " 2026-01-08T00:08:17 ", "2026-02-30T00:00:00", "2026-01-08", "0000-01-01T00:00:00"),
    odd,
  ),
};
/** A valid row as SQLite returns it in raw mode: `id` first, then the record's columns. */
const validRow = fc
  .record({
    invocation_id: fc.string({ minLength: 1 }),
    agent_name: fc.option(fc.string({ minLength: 1 }), { nil: null }),
    tool_name: fc.string({ minLength: 1 }),
    model_name: fc.string({ minLength: 1 }),
    prompt_tokens: fc.option(fc.nat(), { nil: null }),
    completion_tokens: fc.nat(),
    total_tokens: fc.nat(),
    cost_usd: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: null }),
    latency_ms: fc.double({ min: 0, max: 1e9, noNaN: true }),
    status: fc.constantFrom("success", "error", "timeout"),
    error_message: fc.option(fc.string(), { nil: null }),
    privacy_level: fc.constantFrom("metadata", "full", "none", null),
    timestamp: fc.constantFrom("2026-01-08T00:08:17.341430", "2026-01-08 00:08:17", "2026-01-08T02:08:17+0200", "2024-02-29T23:59:59Z"),
  })
  .map((record) => [7, ...INVOCATION_FIELDS.map((field) => record[field])] as LegacyRow);
/** A valid row with one or two columns swapped for a value from that column's boundaries. */
const row = fc
  .tuple(validRow, fc.array(fc.integer({ min: 0, max: INVOCATION_FIELDS.length - 1 }), { maxLength: 2 }))
  .chain(([valid, columns]) =>
    fc.tuple(...columns.map((i) => column[INVOCATION_FIELDS[i]!])).map((values) => {
      const changed = [...valid];
      columns.forEach((i, k) => (changed[i + 1] = values[k]));
      return changed;
    }),
  );

describe("legacyRowToInvocation (the import's one pass over a row)", () => {
  it("accepts a row only as the full validation stores it, and leaves every other row to it", () => {
    fc.assert(
      fc.property(row, (value) => {
        const fast = legacyRowToInvocation(value, CHECK.privacyLevel);
        if (fast !== undefined) expect(fast).toEqual(fullValidation(value));
      }),
      { numRuns: 5000 },
    );
  });

  it("accepts outright every valid row with a timestamp: no second pass over good data", () => {
    fc.assert(
      fc.property(validRow, (value) => {
        const fast = legacyRowToInvocation(value, CHECK.privacyLevel);
        expect(fast).toBeDefined();
        expect(fast).toEqual(fullValidation(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves a row without a timestamp to the full validation, which gives it the time of the import", () => {
    const value = [1, "inv-1", null, "codex", "m", 1, 2, 3, 0.1, 5, "success", null, null, null] as LegacyRow;
    expect(legacyRowToInvocation(value, "metadata")).toBeUndefined();
    expect(fullValidation(value)?.timestamp).toBe("2026-01-01T00:00:00.000Z");
  });
});
