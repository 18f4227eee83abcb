// Test data shared by this package's tests (excluded from the build).
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { fixturePath } from "@telemetry/test-utils";
import type { InvocationRecord } from "./invocation-record.js";

/**
 * A legacy database at `path` with the fixture's `invocations` table and
 * `count` rows `inv-0`.. one second apart. `unique: false` drops the legacy
 * UNIQUE constraint on invocation_id (and `duplicates` repeats some ids).
 */
export function legacyDatabase(path: string, count: number, options: { unique?: boolean; duplicates?: readonly number[] } = {}): void {
  const fixture = new Database(fixturePath("legacy", "telemetry.db"), { readonly: true });
  let ddl = (fixture.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'invocations'").get() as { sql: string }).sql;
  fixture.close();
  if (options.unique === false) ddl = ddl.replace("TEXT UNIQUE NOT NULL", "TEXT NOT NULL");
  const db = new Database(path);
  db.exec(ddl);
  db.exec("CREATE INDEX idx_invocations_timestamp ON invocations(timestamp)");
  const insert = db.prepare(
    "INSERT INTO invocations (invocation_id, timestamp, agent_name, tool_name, model_name, prompt_tokens, completion_tokens, total_tokens, cost_usd, latency_ms, status) VALUES (?, ?, 'agent-a', 'codex', 'gpt-4o', 10, 5, 15, 0.01, 100, 'success')",
  );
  const start = Date.parse("2026-01-01T00:00:00Z");
  const at = (i: number): string => new Date(start + i * 1000).toISOString().replace("Z", "");
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`inv-${i}`, at(i));
    // Repeats come later in the table and in time: the first inserted is the one kept.
    for (const i of options.duplicates ?? []) insert.run(`inv-${i}`, at(count + i));
  })();
  db.close();
}

/** Lines of a log; none when the file does not exist (the writer may create it at open). */
export function linesIn(path: string): string[] {
  try {
    return readFileSync(path, "utf8").split("\n").filter((l) => l.length > 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

let counter = 0;

/** A valid record; each call gets a fresh invocation_id unless one is given. */
export function aRecord(overrides: Partial<InvocationRecord> = {}): InvocationRecord {
  counter++;
  return {
    invocation_id: `inv-test-${counter}`,
    agent_name: "agent-a",
    tool_name: "claude-code",
    model_name: "claude-3.5-sonnet",
    prompt_tokens: 100,
    completion_tokens: 50,
    total_tokens: 150,
    cost_usd: 0.0015,
    latency_ms: 1200,
    status: "success",
    error_message: null,
    timestamp: "2026-01-10T12:00:00.000000",
    ...overrides,
  };
}
