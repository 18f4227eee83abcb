import { readdirSync } from "node:fs";
import { join } from "node:path";
import { readEvents } from "@telemetry/reader";
import type { TelemetryEvent } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { linesOf, runCli } from "../run-cli.fixture.js";

async function readAll(path: string): Promise<TelemetryEvent[]> {
  const events: TelemetryEvent[] = [];
  for await (const event of readEvents(path)) events.push(event);
  return events;
}

describe("telemetry emit", () => {
  it("appends one event, creating parent directories, and prints it as stored", async () => {
    const path = join(testdir(), "deep", "dir", "events.jsonl");
    const result = await runCli([
      "emit", path, "--type", "cost_update", "--run", "RUN-7", "--task", "build", "--agent", "coder", "--tool", "codex",
      "--status", "success", "--summary", "line one\nline two", "--model", "gpt-4o", "--prompt-tokens", "1000",
      "--completion-tokens", "234", "--cost", "0.0123", "--latency-ms", "850.5", "--attr", "host=ci-1", "--attr", "try=2",
      "--log-path", "stdout=runs/7/out.log",
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as TelemetryEvent;
    expect(await readAll(path)).toEqual([printed]);
    expect(printed).toMatchObject({
      event: "cost_update",
      run_id: "RUN-7",
      task_id: "build",
      agent_role: "coder",
      tool: "codex",
      status: "success",
      summary: "line one\nline two",
      metrics: { model: "gpt-4o", prompt_tokens: 1000, completion_tokens: 234, cost_usd: 0.0123, latency_ms: 850.5 },
      attributes: { host: "ci-1", try: "2" },
      log_paths: { stdout: "runs/7/out.log" },
    });
    expect(printed.event_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("appends after earlier events and keeps a given ts and id", async () => {
    const path = join(testdir(), "events.jsonl");
    await runCli(["emit", path, "--type", "task_started", "--run", "R", "-q"]);
    const second = await runCli(["emit", path, "--type", "task_completed", "--run", "R", "--ts", "2026-02-13T10:00:00+02:00", "--id", "my-id", "-q"]);
    expect(second).toMatchObject({ code: 0, stdout: "", stderr: "" });
    const events = await readAll(path);
    expect(events.map((e) => e.event)).toEqual(["task_started", "task_completed"]);
    expect(events[1]).toMatchObject({ ts: "2026-02-13T10:00:00+02:00", event_id: "my-id" });
  });

  it("rotates with --max-size-bytes and keeps --max-backups files", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    for (let i = 0; i < 4; i++) {
      const result = await runCli(["emit", path, "--type", "task_started", "--summary", "x".repeat(150), "--max-size-bytes", "300", "--max-backups", "5", "-q"]);
      expect(result.code).toBe(0);
    }
    expect(readdirSync(dir).filter((name) => name.startsWith("events.jsonl")).sort()).toEqual([
      "events.jsonl",
      "events.jsonl.1",
      "events.jsonl.2",
      "events.jsonl.3",
    ]);
    expect(await readAll(path)).toHaveLength(4);
  });

  it.each([
    [["--run", "R"], "telemetry emit: --type is required (one of task_started, task_completed, task_failed, execution_start, execution_complete, cost_update)"],
    [["--type", "task_exploded"], 'telemetry emit: invalid --type "task_exploded": expected one of task_started, task_completed, task_failed, execution_start, execution_complete, cost_update'],
    [["--type", "cost_update", "--cost=-1"], 'telemetry emit: invalid --cost "-1": expected a number >= 0'],
    [["--type", "cost_update", "--prompt-tokens", "1.5"], 'telemetry emit: invalid --prompt-tokens "1.5": expected a whole number >= 0'],
    [["--type", "task_started", "--attr", "novalue"], 'telemetry emit: invalid --attr "novalue": expected KEY=VALUE'],
  ])("refuses %j with exit 2, one line, and writes nothing", async (flags, message) => {
    const path = join(testdir(), "events.jsonl");
    const result = await runCli(["emit", path, ...flags]);
    expect(result).toMatchObject({ code: 2, stdout: "", stderr: `${message}\n` });
    expect(readdirSync(join(path, ".."))).toEqual([]);
  });

  it("reports a schema violation by field (a ts without offset) with exit 2 and writes nothing", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const result = await runCli(["emit", path, "--type", "task_started", "--ts", "yesterday"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^telemetry emit: .*\bts\b/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses an --attr named __proto__ instead of dropping it", async () => {
    const dir = testdir();
    const result = await runCli(["emit", join(dir, "events.jsonl"), "--type", "task_started", "--attr", "__proto__=x"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^telemetry emit: .*__proto__ is not allowed\n$/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
