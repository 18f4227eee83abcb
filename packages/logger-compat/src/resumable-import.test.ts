// An import killed half way (a real SIGKILL, mid-write) and run again ends
// with every legacy row in the log exactly once. The child is a plain .mjs
// program importing the built package (dist/): run `pnpm build` first.
import { spawn } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { readEvents } from "@telemetry/reader";
import { fixturePath, testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { importLegacyDatabase } from "./import-legacy-database.js";

const distIndex = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const ROWS = 40_000;

const CHILD = `
import { importLegacyDatabase } from DIST;
const [dbPath, path] = process.argv.slice(2);
await importLegacyDatabase({ dbPath, path, batchSize: 200 });
process.stdout.write("finished");
`;

/** A legacy database (the fixture's schema) with `count` rows. */
function legacyDatabase(path: string, count: number): void {
  const fixture = new Database(fixturePath("legacy", "telemetry.db"), { readonly: true });
  const ddl = (fixture.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'invocations'").get() as { sql: string }).sql;
  fixture.close();
  const db = new Database(path);
  db.exec(ddl);
  const insert = db.prepare(
    "INSERT INTO invocations (invocation_id, timestamp, agent_name, tool_name, model_name, prompt_tokens, completion_tokens, total_tokens, cost_usd, latency_ms, status) VALUES (?, ?, 'agent-a', 'codex', 'gpt-4o', 10, 5, 15, 0.01, 100, 'success')",
  );
  const start = Date.parse("2026-01-01T00:00:00Z");
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`inv-${i}`, new Date(start + i * 1000).toISOString().replace("Z", ""));
  })();
  db.close();
}

describe("resumable import", () => {
  it("imports every row exactly once when an import is SIGKILLed half way and run again", async () => {
    if (!existsSync(distIndex)) throw new Error(`this test imports the built package, and ${distIndex} does not exist: run \`pnpm build\` first`);
    const dir = testdir();
    const dbPath = join(dir, "telemetry.db");
    const path = join(dir, "events.jsonl");
    legacyDatabase(dbPath, ROWS);
    const program = join(dir, "import.mjs");
    writeFileSync(program, CHILD.replace("DIST", JSON.stringify(distIndex)));

    const child = spawn(process.execPath, [program, dbPath, path], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    // Kill once a fifth of the rows (about 160 bytes each) is on disk: well inside the import.
    const deadline = Date.now() + 30_000;
    while (!(existsSync(path) && statSync(path).size > ROWS * 30) && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(output).toBe("");

    let before = 0;
    for await (const _event of readEvents(path)) before++;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(ROWS);

    const result = await importLegacyDatabase({ dbPath, path });
    expect(result.imported + result.skipped).toBe(ROWS);
    expect(result.skipped).toBe(before);

    const seen = new Map<string, number>();
    for await (const event of readEvents(path, { onInvalid: () => undefined })) seen.set(event.event_id, (seen.get(event.event_id) ?? 0) + 1);
    expect(seen.size).toBe(ROWS);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);
});
