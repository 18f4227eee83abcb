import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readEvents } from "@telemetry/reader";
import type { TelemetryEvent } from "@telemetry/schema";
import { fixturePath, testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { linesOf, runCli, runCliInTerminal } from "../run-cli.fixture.js";

const legacyDb = fixturePath("legacy", "telemetry.db");

async function readAll(path: string): Promise<TelemetryEvent[]> {
  const events: TelemetryEvent[] = [];
  for await (const event of readEvents(path)) events.push(event);
  return events;
}

describe("telemetry import-legacy", () => {
  it("imports every invocation as a cost_update event and prints one summary line", async () => {
    const out = join(testdir(), "events.jsonl");
    const result = await runCli(["import-legacy", legacyDb, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`imported 120 invocations, skipped 0 already in the log (${legacyDb} -> ${out})\n`);
    const events = await readAll(out);
    expect(events).toHaveLength(120);
    expect(events.every((e) => e.event === "cost_update")).toBe(true);
  });

  it("imports nothing the second time", async () => {
    const out = join(testdir(), "events.jsonl");
    await runCli(["import-legacy", legacyDb, "--out", out]);
    const again = await runCli(["import-legacy", legacyDb, "-o", out]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`imported 0 invocations, skipped 120 already in the log (${legacyDb} -> ${out})\n`);
    expect(await readAll(out)).toHaveLength(120);
  });

  it("refuses a file that is not a legacy database with exit 2, one line, and no log created", async () => {
    const dir = testdir();
    const notDb = join(dir, "notes.txt");
    writeFileSync(notDb, "just some text, not SQLite\n");
    const out = join(dir, "logs", "events.jsonl");
    const result = await runCli(["import-legacy", notDb, "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain(notDb);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
  });

  it("requires --out", async () => {
    const result = await runCli(["import-legacy", legacyDb]);
    expect(result).toMatchObject({ code: 2, stdout: "", stderr: "telemetry import-legacy: --out <path> is required: the event log to import into\n" });
  });

  it("draws a progress bar on a terminal and ends with the summary line", async (context) => {
    const out = join(testdir(), "events.jsonl");
    const run = runCliInTerminal(["import-legacy", legacyDb, "--out", out]);
    if (typeof run === "string") return context.skip(run);
    const result = await run;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\rimport {2}\[#+\] {2}100% {2}120\/120\r?\n/);
    expect(result.stdout).toContain("imported 120 invocations");
  });
});
