import { readEvents } from "@telemetry/reader";
import { serializeEvent, type TelemetryEvent } from "@telemetry/schema";
import { fixturePath } from "@telemetry/test-utils";
import { beforeAll, describe, expect, it } from "vitest";
import { formatEvent } from "../format-event.js";
import { createColors } from "../color.js";
import { linesOf, runCli } from "../run-cli.fixture.js";

const reference = fixturePath("python-reference", "events.jsonl");
const rotated = fixturePath("python-reference", "rotated.jsonl");
const plain = createColors({ stream: { write: () => true }, env: {}, flag: "never" });

describe("telemetry query", () => {
  let all: TelemetryEvent[];
  beforeAll(async () => {
    all = [];
    for await (const event of readEvents(reference)) all.push(event);
  });

  it("prints every valid event, one pretty line each, and counts the torn line on stderr", async () => {
    const result = await runCli(["query", reference]);
    expect(result.code).toBe(0);
    expect(linesOf(result.stdout)).toEqual(all.map((event) => formatEvent(event, plain)));
    expect(result.stderr).toMatch(/^telemetry query: skipped 1 invalid line \(first at .*:171:\d+; see: telemetry verify .*\)\n$/);
  });

  it("prints events exactly as stored with --json, one parseable object per line", async () => {
    const result = await runCli(["query", reference, "--type", "task_failed", "--json"]);
    const lines = linesOf(result.stdout);
    const expected = all.filter((e) => e.event === "task_failed");
    expect(expected.length).toBeGreaterThan(0);
    expect(lines).toEqual(expected.map(serializeEvent));
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it("combines filters: run, several types, agent", async () => {
    const sample = all.find((e) => e.agent_role !== undefined && e.run_id !== undefined)!;
    const result = await runCli([
      "query", reference, "--run", sample.run_id!, "--type", "task_started", "--type", "task_completed", "--agent", sample.agent_role!, "--json",
    ]);
    const expected = all.filter(
      (e) => e.run_id === sample.run_id && e.agent_role === sample.agent_role && (e.event === "task_started" || e.event === "task_completed"),
    );
    expect(linesOf(result.stdout).map((line) => JSON.parse(line) as unknown)).toEqual(expected);
  });

  it("takes --since and --until as instants, and relative times against now", async () => {
    const times = all.map((e) => Date.parse(e.ts)).sort((a, b) => a - b);
    const middle = new Date(times[Math.floor(times.length / 2)]!).toISOString();
    const since = await runCli(["query", reference, "--since", middle, "--json"]);
    const until = await runCli(["query", reference, "--until", middle, "--json"]);
    const count = (text: string): number => linesOf(text).length;
    expect(count(since.stdout)).toBe(all.filter((e) => Date.parse(e.ts) >= Date.parse(middle)).length);
    expect(count(since.stdout) + count(until.stdout)).toBe(all.length);
    // The fixture was written in the past: nothing in the last minute, everything in the last 100 years.
    expect(count((await runCli(["query", reference, "--since", "1m", "--json"])).stdout)).toBe(0);
    expect(count((await runCli(["query", reference, "--since", "36500d", "--json"])).stdout)).toBe(all.length);
  });

  it("returns the newest N, newest first, with --desc --limit N", async () => {
    const result = await runCli(["query", reference, "--desc", "--limit", "3", "--json"]);
    expect(linesOf(result.stdout).map((line) => JSON.parse(line) as unknown)).toEqual(all.slice(-3).reverse());
  });

  it("reads rotated files first, in write order", async () => {
    const result = await runCli(["query", rotated, "--json"]);
    const tasks = linesOf(result.stdout).map((line) => (JSON.parse(line) as TelemetryEvent).task_id);
    expect(tasks).toEqual(Array.from({ length: 18 }, (_, i) => `rot-${22 + i}`));
  });

  it("prints nothing and exits 0 when nothing matches", async () => {
    const result = await runCli(["query", rotated, "--run", "NOPE"]);
    expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });
});
