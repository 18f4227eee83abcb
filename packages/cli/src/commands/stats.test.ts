import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readEvents, summarizeRuns } from "@telemetry/reader";
import { fixturePath, testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { linesOf, runCli } from "../run-cli.fixture.js";

const reference = fixturePath("python-reference", "events.jsonl");

function costLine(agent: string, model: string, tokens: number, cost: number, ts = "2026-02-13T10:00:00+00:00"): string {
  return `${JSON.stringify({
    event: "cost_update",
    ts,
    run_id: "RUN-1",
    agent_role: agent,
    tool: "codex",
    metrics: { model, total_tokens: tokens, cost_usd: cost },
    event_id: `${agent}-${model}-${tokens}-${ts}`,
  })}\n`;
}

describe("telemetry stats", () => {
  it("prints one JSON line per run with --json, equal to the reader's summarizeRuns", async () => {
    const result = await runCli(["stats", reference, "--json"]);
    expect(result.code).toBe(0);
    const rows = linesOf(result.stdout).map((line) => JSON.parse(line) as unknown);
    const expected = JSON.parse(JSON.stringify(await summarizeRuns(readEvents(reference)))) as unknown[];
    expect(rows).toEqual(expected);
    expect(rows).toHaveLength(12);
  });

  it("prints a runs table with a total row, and says on stderr that the torn line was skipped", async () => {
    const result = await runCli(["stats", reference]);
    expect(result.code).toBe(0);
    const lines = linesOf(result.stdout);
    expect(lines[0]).toMatch(/^run\s+started \(UTC\)\s+duration\s+events\s+tasks\s+ok\s+failed\s+open\s+agents\s+tokens\s+cost$/);
    expect(lines[1]).toMatch(/^-+(\s+-+)+$/);
    expect(lines).toHaveLength(2 + 12 + 1);
    expect(lines.at(-1)).toMatch(/^total \(12 runs\)\s+170\s/);
    expect(linesOf(result.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^telemetry stats: skipped 1 invalid line \\(first at .*events\\.jsonl:171:\\d+; see: telemetry verify `)),
    ]);
  });

  it("groups costs by model, agent, tool or UTC day with exact totals", async () => {
    const path = join(testdir(), "costs.jsonl");
    writeFileSync(
      path,
      costLine("coder", "gpt-4o", 1000, 0.01) +
        costLine("coder", "gpt-4o", 3000, 0.03) +
        costLine("reviewer", "gpt-4o-mini", 500, 0.0005, "2026-02-14T23:59:59+00:00") +
        costLine("reviewer", "claude-3.5-sonnet", 2000, 0.5, "2026-02-15T00:30:00+01:00"),
    );

    const byModel = await runCli(["stats", path, "--by", "model"]);
    expect(byModel.code).toBe(0);
    expect(linesOf(byModel.stdout)).toEqual([
      "model              invocations  tokens     cost",
      "-----------------  -----------  ------  -------",
      "claude-3.5-sonnet            1   2,000  $0.5000",
      "gpt-4o                       2   4,000  $0.0400",
      "gpt-4o-mini                  1     500  $0.0005",
      "total                        4   6,500  $0.5405",
    ]);

    const byDay = await runCli(["stats", path, "--by", "day", "--json"]);
    expect(linesOf(byDay.stdout).map((line) => JSON.parse(line) as unknown)).toEqual([
      { date: "2026-02-13", invocations: 2, total_tokens: 4000, cost_usd: 0.04 },
      { date: "2026-02-14", invocations: 2, total_tokens: 2500, cost_usd: 0.5005 },
    ]);

    const byAgent = await runCli(["stats", path, "--by", "agent", "--since", "2026-02-14"]);
    expect(linesOf(byAgent.stdout).slice(2).map((line) => line.split(/\s{2,}/))).toEqual([["reviewer", "2", "2,500", "$0.5005"]]);
  });

  it("rejects an unknown --by with exit 2 and the accepted values", async () => {
    const result = await runCli(["stats", reference, "--by", "week"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe('telemetry stats: invalid --by "week": expected one of run, day, agent, tool, model\n');
  });
});
