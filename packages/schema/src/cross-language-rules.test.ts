// Rules that make a line mean the same in every language: NEL escaped, years
// 0001-9999, unknown fields of bounded depth, and no "__proto__" keys, on the
// write side (createEvent, serializeEvent) and the read side (safeParseEvent,
// which every reader uses) alike.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { createEvent, EventValidationError, eventJsonSchema, isTimestamp, safeParseEvent, serializeEvent, type EventInput } from "./index.js";

const base = { event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: "e-1" } as const;

function writeIssues(input: unknown): { path: string; message: string }[] {
  try {
    createEvent(input as EventInput);
  } catch (error) {
    expect(error).toBeInstanceOf(EventValidationError);
    return [...(error as EventValidationError).issues];
  }
  throw new Error("expected createEvent to refuse the input");
}

function readIssues(line: string): { path: string; message: string }[] {
  const result = safeParseEvent(JSON.parse(line));
  expect(result.success).toBe(false);
  return result.success ? [] : [...result.error.issues];
}

function python(): string | undefined {
  try {
    execFileSync("python3", ["-c", "pass"], { stdio: "ignore" });
    return "python3";
  } catch {
    return undefined;
  }
}

describe("NEL (U+0085)", () => {
  it("serializeEvent escapes U+0085 (NEL) along with U+2028 and U+2029", () => {
    const line = serializeEvent(createEvent({ event: "task_failed", summary: "a\u0085b\u2028c\u2029d", attributes: { "k\u0085": "v\u0085" } }));
    expect(line).not.toMatch(/[\u0085\u2028\u2029]/);
    expect(line).toContain("a\\u0085b");
    expect(safeParseEvent(JSON.parse(line))).toMatchObject({ success: true, data: { summary: "a\u0085b\u2028c\u2029d" } });
  });

  it("keeps one event per line for Python's str.splitlines(), whatever the text", (context) => {
    const interpreter = python();
    if (interpreter === undefined) {
      context.skip("needs python3 on PATH to split the lines the way Python does");
      return;
    }
    const texts = fc.sample(fc.string({ unit: "binary", maxLength: 40 }), 2000);
    const lines = texts.map((summary, i) => serializeEvent(createEvent({ event: "task_started", run_id: `R-${i}`, summary })));
    const file = join(testdir(), "events.jsonl");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const counted = execFileSync(interpreter, ["-c", "import sys, json; t = open(sys.argv[1], encoding='utf-8', errors='surrogatepass').read(); ls = t.splitlines(); [json.loads(l) for l in ls]; print(len(ls))", file], { encoding: "utf8" });
    expect(Number(counted.trim())).toBe(lines.length);
  });
});

describe("ts years 0001-9999", () => {
  it("refuses year 0000 on write, naming ts", () => {
    expect(writeIssues({ event: "task_started", ts: "0000-01-01T00:00:00Z" })).toEqual([
      { path: "ts", message: expect.stringMatching(/^expected a year from 0001 to 9999.*received "0000-01-01T00:00:00Z"/) as unknown },
    ]);
  });

  it("reports year 0000 as invalid on read, also the leap day that only year 0 has in this calendar", () => {
    expect(readIssues(JSON.stringify({ ...base, ts: "0000-02-29T12:00:00+01:00" })).map((i) => i.path)).toEqual(["ts"]);
  });

  it("accepts years 0001 and 9999, and isTimestamp and the JSON Schema agree", () => {
    const validate = new Ajv2020({ strict: false, formats: { "date-time": true } }).compile(eventJsonSchema);
    for (const ts of ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999+14:00"]) {
      expect(createEvent({ event: "task_started", ts }).ts).toBe(ts);
      expect(isTimestamp(ts)).toBe(true);
      expect(validate({ ...base, ts })).toBe(true);
    }
    expect(isTimestamp("0000-01-01T00:00:00Z")).toBe(false);
    expect(validate({ ...base, ts: "0000-01-01T00:00:00Z" })).toBe(false);
  });
});

describe("unknown fields nest at most 64 levels", () => {
  const nested = (depth: number): string => `${"[".repeat(depth)}${"]".repeat(depth)}`;

  it("reports a 100,000-deep unknown field as an invalid line naming the field, without overflowing the stack", () => {
    const line = `{"event":"task_started","ts":"2026-01-01T00:00:00Z","event_id":"x","from_the_future":${nested(100_000)}}`;
    expect(readIssues(line)).toEqual([{ path: "from_the_future", message: expect.stringMatching(/nested more than 64 levels deep/) as unknown }]);
  });

  it("accepts 64 levels, and the accepted event serializes again", () => {
    const objects = `${'{"a":'.repeat(63)}[]${"}".repeat(63)}`;
    for (const value of [nested(64), objects]) {
      const result = safeParseEvent(JSON.parse(`{"event":"task_started","ts":"2026-01-01T00:00:00Z","event_id":"x","deep":${value}}`));
      expect(result.success).toBe(true);
      if (result.success) expect(JSON.parse(serializeEvent(result.data))).toEqual(result.data);
    }
    expect(readIssues(`{"event":"task_started","ts":"2026-01-01T00:00:00Z","event_id":"x","deep":${nested(65)}}`)).toHaveLength(1);
  });
});

describe('"__proto__" keys', () => {
  it.each([
    ["attributes", '{"attributes":{"__proto__":"x","ok":1}}', "attributes.__proto__"],
    ["log_paths", '{"log_paths":{"__proto__":"/tmp/x"}}', "log_paths.__proto__"],
    ["metrics", '{"metrics":{"__proto__":{"model":"m"}}}', "metrics.__proto__"],
    ["the event itself", '{"__proto__":{"run_id":"injected"}}', "__proto__"],
  ])("are refused on write in %s, never dropped silently", (_, json, path) => {
    const input: unknown = { event: "task_started", ...(JSON.parse(json) as object) };
    expect(writeIssues(input).map((i) => i.path)).toEqual([path]);
  });

  it.each([
    ["attributes", '"attributes":{"__proto__":"x"}', "attributes.__proto__"],
    ["log_paths", '"log_paths":{"__proto__":"/tmp/x"}', "log_paths.__proto__"],
    ["an unknown field", '"future":{"a":[{"__proto__":{"polluted":true}}]}', "future.(nested).__proto__"],
    ["the event itself", '"__proto__":{"polluted":true}', "__proto__"],
  ])("are reported on read in %s as an invalid line, never dropped silently", (_, fragment, path) => {
    const line = `{"event":"task_started","ts":"2026-01-01T00:00:00Z","event_id":"x",${fragment}}`;
    expect(readIssues(line).map((i) => i.path)).toEqual([path]);
  });

  it("pollutes no prototype either way", () => {
    safeParseEvent(JSON.parse('{"event":"task_started","ts":"2026-01-01T00:00:00Z","event_id":"x","__proto__":{"polluted":true},"attributes":{"__proto__":{"polluted":true}}}'));
    expect(() => createEvent({ event: "task_started", ...(JSON.parse('{"__proto__":{"polluted":true}}') as object) })).toThrow(EventValidationError);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("keeps ordinary keys that only look special", () => {
    const event = createEvent({ event: "task_started", attributes: { constructor: "c", prototype: "p", __proto: "x" } });
    expect(safeParseEvent(JSON.parse(serializeEvent(event)))).toMatchObject({ success: true, data: { attributes: { constructor: "c", prototype: "p", __proto: "x" } } });
  });
});
