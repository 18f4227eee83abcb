import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readEvents } from "@telemetry/reader";
import type { TelemetryEvent } from "@telemetry/schema";
import { fixturePath, testdir, withoutSqliteEngine } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { linesOf, runCli } from "../run-cli.fixture.js";

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

  it("without the SQLite engine exits 1 with install steps for npm and pnpm, never 'not a database', and creates no log", async () => {
    for (const mode of ["missing", "unbuilt"] as const) {
      const dir = testdir();
      const out = join(dir, "logs", "events.jsonl");
      const result = await runCli(["import-legacy", legacyDb, "--out", out], { nodeArgs: withoutSqliteEngine(dir, mode) });
      expect(result.code, mode).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^telemetry import-legacy: importing a legacy database needs the SQLite engine better-sqlite3@\^12/);
      expect(result.stderr).toContain("npm install better-sqlite3@^12");
      expect(result.stderr).toContain("pnpm approve-builds");
      expect(result.stderr).not.toMatch(/not a legacy telemetry database|bindings file.*not a|TELEMETRY_DEBUG/);
      expect(existsSync(join(dir, "logs"))).toBe(false);
    }
  });

  it("stats on the imported log says it has no runs and suggests --by, then --by model works", async () => {
    const out = join(testdir(), "events.jsonl");
    await runCli(["import-legacy", legacyDb, "--out", out]);
    const runs = await runCli(["stats", out]);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toBe("");
    expect(runs.stderr).toContain(`no runs in ${out}`);
    expect(runs.stderr).toContain("--by model|day|agent|tool");
    const byModel = await runCli(["stats", out, "--by", "model"]);
    expect(byModel.stdout).toMatch(/^model +invocations/);
  });
});
