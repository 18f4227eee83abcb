import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEvents, rollupCosts, summarizeRuns } from "@telemetry/reader";
import type { TelemetryEvent } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCount, formatUsd } from "../format-number.js";
import { linesOf, runCli, type CliResult } from "../run-cli.fixture.js";

describe("telemetry demo", () => {
  let dir: string;
  let path: string;
  let result: CliResult;
  const invalid: unknown[] = [];
  const events: TelemetryEvent[] = [];

  beforeAll(async () => {
    // One demo run shared by the tests below (testdir() is per test); "demo"
    // is a directory that does not exist yet, which the demo creates.
    dir = join(mkdtempSync(join(tmpdir(), "telemetry-demo-test-")), "demo");
    path = join(dir, "events.jsonl");
    result = await runCli(["demo", dir]);
    for await (const event of readEvents(path, { onInvalid: (issue) => invalid.push(issue) })) events.push(event);
  });

  afterAll(() => {
    rmSync(join(dir, ".."), { recursive: true, force: true });
  });

  it("completes with exit 0 and nothing on stderr", () => {
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("writes every event it reports, with no invalid line, across several rotated files", () => {
    expect(invalid).toEqual([]);
    expect(result.stdout).toContain(`wrote ${formatCount(events.length)} events`);
    expect(result.stdout).toContain(`read back ${formatCount(events.length)} events`);
    const files = readdirSync(dir).filter((name) => /^events\.jsonl(\.\d+)?$/.test(name));
    expect(files.length).toBeGreaterThan(2);
    expect(result.stdout).toContain(`${files.length} files`);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
  });

  it("simulates several runs of several tasks with tools, token costs and exactly one failed task", () => {
    const runs = new Set(events.map((e) => e.run_id));
    expect(runs.size).toBeGreaterThanOrEqual(3);
    expect(events.filter((e) => e.event === "task_failed")).toHaveLength(1);
    expect(new Set(events.map((e) => e.tool).filter(Boolean)).size).toBeGreaterThan(1);
    const costs = events.filter((e) => e.event === "cost_update");
    expect(costs.length).toBeGreaterThan(100);
    expect(costs.every((e) => (e.metrics?.cost_usd ?? 0) > 0 && (e.metrics?.total_tokens ?? 0) > 0)).toBe(true);
  });

  it("prints a run table whose rows match summarizeRuns over the events it wrote", async () => {
    const summaries = await summarizeRuns(events);
    const lines = linesOf(result.stdout);
    for (const run of summaries) {
      const row = lines.find((line) => line.startsWith(`${run.run_id} `));
      expect(row, run.run_id).toBeDefined();
      const cells = row!.split(/\s{2,}/);
      expect(cells.slice(-2)).toEqual([formatCount(run.total_tokens), formatUsd(run.cost_usd)]);
      expect(cells).toContain(formatCount(run.events));
    }
    const total = lines.find((line) => line.startsWith("total ("));
    expect(total).toMatch(new RegExp(`^total \\(${summaries.length} runs\\)\\s+${formatCount(events.length)}\\s`));
    expect(total?.endsWith(formatUsd(summaries.reduce((sum, run) => sum + run.cost_usd, 0)))).toBe(true);
  });

  it("prints a cost-by-model table whose rows match rollupCosts over the events it wrote", async () => {
    const rows = await rollupCosts(events, { by: ["model"] });
    const lines = linesOf(result.stdout);
    for (const row of rows) {
      const line = lines.find((l) => l.startsWith(`${row.model} `));
      expect(line?.split(/\s{2,}/).slice(1)).toEqual([formatCount(row.invocations), formatCount(row.total_tokens), formatUsd(row.cost_usd)]);
    }
  });

  it("suggests next commands on the log it wrote", () => {
    expect(result.stdout).toContain(`tail ${path}`);
    expect(result.stdout).toContain(`verify ${path}`);
  });

  it("refuses a directory that already holds a log, exit 2, without touching it", async () => {
    const existing = testdir();
    mkdirSync(existing, { recursive: true });
    writeFileSync(join(existing, "events.jsonl"), "keep me\n");
    const again = await runCli(["demo", existing]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`telemetry demo: ${existing} already holds events.jsonl; choose a new or empty directory\n`);
    expect(readdirSync(existing)).toEqual(["events.jsonl"]);
  });
});
