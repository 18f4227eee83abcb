// The SQLite engine is an optional peer: without it (not installed, or
// installed but never built) the logger works and only the import fails,
// with a typed error that says how to install it. Children are plain .mjs
// programs importing the built package (dist/): run `pnpm build` first.
import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { fixturePath, testdir, withoutSqliteEngine } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { linesIn } from "./records.fixture.js";

const run = promisify(execFile);
const distIndex = fileURLToPath(new URL("../dist/index.js", import.meta.url));

// argv: log path, legacy db. Logs one invocation, queries, then tries the import.
const CHILD = `
import { importLegacyDatabase, TelemetryLogger } from DIST;
const [path, dbPath] = process.argv.slice(2);
const logger = await TelemetryLogger.open({ path });
await logger.logInvocation({ invocation_id: "live-1", agent_name: null, tool_name: "codex", model_name: "gpt-4o",
  prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, cost_usd: 0.5, latency_ms: 10, status: "success" });
const invocations = (await logger.getStatistics()).total_invocations;
let error;
try {
  await importLegacyDatabase({ dbPath, logger });
} catch (e) {
  error = { name: e.name, code: e.code, message: e.message };
}
await logger.close();
process.stdout.write(JSON.stringify({ invocations, error }));
`;

async function runWithoutEngine(mode: "missing" | "unbuilt"): Promise<{ path: string; result: { invocations: number; error?: { name: string; code: string; message: string } } }> {
  if (!existsSync(distIndex)) throw new Error(`these tests import the built package, and ${distIndex} does not exist: run \`pnpm build\` first`);
  const dir = testdir();
  const program = join(dir, "import.mjs");
  writeFileSync(program, CHILD.replace("DIST", JSON.stringify(distIndex)));
  const path = join(dir, "events.jsonl");
  const { stdout } = await run(process.execPath, [...withoutSqliteEngine(dir, mode), program, path, fixturePath("legacy", "telemetry.db")]);
  return { path, result: JSON.parse(stdout) as { invocations: number; error?: { name: string; code: string; message: string } } };
}

describe("without the SQLite engine", () => {
  it.each(["missing", "unbuilt"] as const)("logs and queries, and the import fails with SQLITE_UNAVAILABLE and install steps (%s)", async (mode) => {
    const { path, result } = await runWithoutEngine(mode);
    expect(result.invocations).toBe(1);
    expect(result.error).toMatchObject({ name: "SqliteUnavailableError", code: "SQLITE_UNAVAILABLE" });
    const message = result.error!.message;
    expect(message).toContain(mode === "missing" ? "which is not installed" : "its native module is not usable");
    expect(message).toContain("npm install better-sqlite3@^12");
    expect(message).toContain("pnpm add better-sqlite3@^12");
    expect(message).toContain("pnpm approve-builds");
    expect(message).not.toMatch(/not a legacy telemetry database/);
    // Only the invocation logged by hand: the import wrote nothing.
    expect(linesIn(path)).toHaveLength(1);
  });
});
