// The writer's side of the schema's cross-language rules: what reaches the
// file is one line for every language's line splitter, and input that another
// language could not read (or that JavaScript would mangle) is refused.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EventValidationError, type EventInput } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { openEventWriter } from "./open-event-writer.js";

describe("lines every language reads the same way", () => {
  it("stores U+0085 (NEL) escaped, so Python's splitlines() sees one line per event", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    await writer.emit({ event: "task_failed", summary: "first\u0085second" });
    await writer.close();
    const bytes = readFileSync(path, "utf8");
    expect(bytes).not.toContain("\u0085");
    expect(bytes).toContain("first\\u0085second");
  });

  it.each([
    ["year 0000", { event: "task_started", ts: "0000-01-01T00:00:00Z" }, "ts"],
    ['a "__proto__" attribute from JSON.parse', { event: "task_started", attributes: JSON.parse('{"__proto__":"x"}') as Record<string, string> }, "attributes.__proto__"],
  ])("refuses %s with EventValidationError and writes nothing", async (_, input, path) => {
    const file = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path: file });
    const error = await writer.emit(input as EventInput).catch((e: unknown) => e);
    await writer.close();
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).issues.map((i) => i.path)).toEqual([path]);
    expect(readFileSync(file, "utf8")).toBe("");
  });
});
