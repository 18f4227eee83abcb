import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { fixturePath } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { eventJsonSchema } from "./index.js";

// date-time is enforced by the schema's own `pattern`; the format keyword is informational here.
const ajv = new Ajv2020({ strict: false, allErrors: true, formats: { "date-time": true } });
const validate = ajv.compile(eventJsonSchema);
const base = { event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: "a" };

describe("eventJsonSchema", () => {
  it("is a JSON Schema 2020-12 document", () => {
    expect(eventJsonSchema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });

  it("accepts every event of the Python reference log", () => {
    const lines = readFileSync(fixturePath("python-reference", "events.jsonl"), "utf8").split("\n").slice(0, -1);
    for (const line of lines) expect(validate(JSON.parse(line)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ["an unknown event type", { ...base, event: "task_paused" }],
    ["a wrong field type", { ...base, run_id: 1 }],
    ["a non-ISO ts", { ...base, ts: "2026-01-01 00:00:00" }],
    ["negative tokens", { ...base, metrics: { prompt_tokens: -1 } }],
    ["fractional tokens", { ...base, metrics: { total_tokens: 0.5 } }],
    ["a non-scalar attribute", { ...base, attributes: { a: { b: 1 } } }],
    ["an empty event_id", { ...base, event_id: "" }],
    ["a missing ts", { event: "task_started", event_id: "a" }],
  ])("rejects %s", (_name, value) => {
    expect(validate(value)).toBe(false);
  });

  it("keeps accepting unknown fields, as readers must", () => {
    expect(validate({ ...base, from_the_future: true })).toBe(true);
  });

  it("ships unchanged as event.schema.json", () => {
    const shipped = JSON.parse(readFileSync(new URL("../event.schema.json", import.meta.url), "utf8")) as unknown;
    expect(shipped).toEqual(eventJsonSchema);
  });
});
