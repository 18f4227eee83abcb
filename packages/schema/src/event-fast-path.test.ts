import fc from "fast-check";
import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import { passesFastPath } from "./event-fast-path.js";
import { eventInputSchema, eventSchema } from "./event-schema.js";
import { EVENT_TYPES } from "./event-type.js";
import { structureIssue } from "./structure-limits.js";

/** The slow path's verdict: the structural limits (checked before zod), then zod. */
function slowVerdict(value: unknown, mode: "stored" | "input"): boolean {
  return structureIssue(value) === undefined && z.safeParse(mode === "stored" ? eventSchema : eventInputSchema, value).success;
}

const fields = ["event", "ts", "run_id", "task_id", "phase", "agent_role", "tool", "mode", "status", "log_paths", "summary", "metrics", "attributes", "event_id"];
const metricKeys = ["model", "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd", "latency_ms", "other"];

// Values chosen to sit on every boundary the schema draws.
const edgeValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(undefined, null, -1, -0, 0, 1.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, "", [], {}, true),
  fc.constantFrom(...EVENT_TYPES, "task_paused", "TASK_STARTED"),
  fc.constantFrom("2026-02-13T10:05:23.330081+00:00", "2026-02-13T10:05:23Z", "2026-02-13T10:05:23", "2026-02-30T00:00:00Z", "2024-02-29T23:59:59.1-05:30", "2026-02-13 10:05:23Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
);
const nestedValue = fc.oneof(
  edgeValue,
  fc.dictionary(fc.constantFrom(...metricKeys), edgeValue),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue())),
);
const candidate = fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string()), nestedValue, { maxKeys: 16 });
const base = { event: "task_started", ts: "2026-02-13T10:05:23Z", event_id: "id-1" };

describe("the validation fast path", () => {
  it("gives zod's verdict on random near-valid stored events", () => {
    fc.assert(
      fc.property(candidate, fc.boolean(), (extra, withBase) => {
        const value: unknown = withBase ? { ...base, ...extra } : extra;
        expect(passesFastPath(value, "stored")).toBe(slowVerdict(value, "stored"));
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it("gives zod's verdict on random near-valid createEvent input", () => {
    fc.assert(
      fc.property(candidate, fc.boolean(), (extra, withBase) => {
        const value: unknown = withBase ? { event: "cost_update", ...extra } : extra;
        expect(passesFastPath(value, "input")).toBe(slowVerdict(value, "input"));
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it("leaves unusual objects to zod", () => {
    class Custom {
      event = "task_started";
    }
    expect(passesFastPath(new Custom(), "input")).toBe(false);
    expect(passesFastPath(JSON.parse('{"event":"task_started","__proto__":{"x":1}}'), "input")).toBe(false);
    expect(passesFastPath([], "input")).toBe(false);
  });
});
