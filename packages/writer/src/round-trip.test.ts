import { join } from "node:path";
import fc from "fast-check";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { openEventWriter } from "./open-event-writer.js";
import { readLog } from "./log-lines.fixture.js";

// Arbitrary text, including newlines, U+2028/U+2029, lone surrogates and NULs:
// whatever a summary holds, it must stay inside its own line.
const text = fc.string({ unit: "binary", maxLength: 200 });
const attributes = fc.dictionary(
  // "__proto__" is refused by the schema (its own test covers that): a valid event never has it.
  fc.string({ unit: "binary", minLength: 1, maxLength: 20 }).filter((key) => key !== "__proto__"),
  fc.oneof(text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
  { maxKeys: 5 },
);
const input = fc.record(
  {
    event: fc.constantFrom("task_started", "task_completed", "task_failed", "execution_start", "execution_complete", "cost_update" as const),
    run_id: text,
    summary: text,
    attributes,
  },
  { requiredKeys: ["event"] },
);

describe("round trip", () => {
  it("stores any valid event as exactly one line that reads back equal", { timeout: 60_000 }, async () => {
    const dir = testdir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: 1, maxLength: 20 }), async (inputs) => {
        const path = join(dir, `events-${run++}.jsonl`);
        const writer = await openEventWriter({ path, durability: "write" });
        const stored = await Promise.all(inputs.map((i) => writer.emit(i)));
        await writer.close();
        const log = readLog(path);
        expect(log.fragments).toEqual([]);
        // -0 is written as 0 by JSON: compare as JSON, the wire's own notion of equality.
        expect(JSON.parse(JSON.stringify(log.events))).toEqual(JSON.parse(JSON.stringify(stored)));
      }),
      { numRuns: 40 },
    );
  });
});
