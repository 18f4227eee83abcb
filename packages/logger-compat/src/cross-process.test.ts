// A second logger in another process: what one process logs, the other sees.
// Children are plain .mjs programs importing the built package (dist/), so
// run `pnpm build` in packages/logger-compat before these tests.
import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { aRecord } from "./records.fixture.js";
import { TelemetryLogger } from "./telemetry-logger.js";

const run = promisify(execFile);
const distIndex = fileURLToPath(new URL("../dist/index.js", import.meta.url));

// argv: log path, id prefix, how many to log. Prints the child's view after logging.
const CHILD = `
import { TelemetryLogger } from DIST;
const [path, prefix, count] = process.argv.slice(2);
const logger = await TelemetryLogger.open({ path });
await Promise.all(Array.from({ length: Number(count) }, (_, i) => logger.logInvocation({
  invocation_id: prefix + "-" + i, agent_name: "child", tool_name: "codex", model_name: "gpt-4o",
  prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, cost_usd: 0.5, latency_ms: 10, status: "success",
  timestamp: "2026-01-15T00:00:00",
})));
const stats = await logger.getStatistics({ days: 1e6 });
const ids = (await logger.getInvocations({ limit: 1e6 })).map((r) => r.invocation_id);
await logger.close();
process.stdout.write(JSON.stringify({ stats, ids }));
`;

function childProgram(dir: string): string {
  if (!existsSync(distIndex)) {
    throw new Error(`cross-process tests import the built package, and ${distIndex} does not exist: run \`pnpm build\` in packages/logger-compat first`);
  }
  const file = join(dir, "log-invocations.mjs");
  writeFileSync(file, CHILD.replace("DIST", JSON.stringify(distIndex)));
  return file;
}

async function runChild(program: string, path: string, prefix: string, count: number): Promise<{ stats: { total_invocations: number }; ids: string[] }> {
  const { stdout } = await run(process.execPath, [program, path, prefix, String(count)], { timeout: 60_000 });
  return JSON.parse(stdout) as { stats: { total_invocations: number }; ids: string[] };
}

describe("two loggers in two processes", () => {
  it("a logger opened before another process logged sees those invocations on its next query, and the other way round", { timeout: 60_000 }, async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const program = childProgram(dir);
    const parent = await TelemetryLogger.open({ path });
    try {
      await parent.logInvocation(aRecord({ invocation_id: "parent-0" }));
      const child = await runChild(program, path, "child", 50);
      // The child saw what the parent logged before it started.
      expect(child.ids).toContain("parent-0");
      expect(child.stats.total_invocations).toBe(51);
      // The parent, opened first, now sees the child's invocations without reopening.
      const stats = await parent.getStatistics({ days: 1e6 });
      expect(stats.total_invocations).toBe(51);
      expect(stats.total_cost_usd).toBeCloseTo(25.0015, 9);
      expect((await parent.getDailyCosts({ agentName: "child" }))[0]).toMatchObject({ date: "2026-01-15", invocations: 50 });
      // And an id the child logged is a duplicate here.
      await expect(parent.logInvocation(aRecord({ invocation_id: "child-7" }))).rejects.toMatchObject({ code: "DUPLICATE_INVOCATION" });
    } finally {
      await parent.close();
    }
  });

  it("loses nothing when both processes log at the same time", { timeout: 60_000 }, async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const program = childProgram(dir);
    const parent = await TelemetryLogger.open({ path });
    try {
      const [child] = await Promise.all([
        runChild(program, path, "child", 300),
        (async () => {
          for (let i = 0; i < 30; i++) await Promise.all(Array.from({ length: 10 }, () => parent.logInvocation(aRecord())));
        })(),
      ]);
      expect(child.stats.total_invocations).toBeGreaterThanOrEqual(300);
      expect((await parent.getStatistics({ days: 1e6 })).total_invocations).toBe(600);
      const fresh = await runChild(program, path, "late", 0);
      expect(fresh.stats.total_invocations).toBe(600);
      expect(new Set(fresh.ids).size).toBe(600);
    } finally {
      await parent.close();
    }
  });
});
