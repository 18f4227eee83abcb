// Test data shared by this package's tests (excluded from the build).
import { readFileSync } from "node:fs";
import type { InvocationRecord } from "./invocation-record.js";

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
