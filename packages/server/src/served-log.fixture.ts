// Test logs written through the real writer, and servers on free loopback
// ports that each test closes.
import { join } from "node:path";
import type { EventInput } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import { openEventWriter, type EventWriter } from "@telemetry/writer";
import { onTestFinished } from "vitest";
import { logFileSources } from "./log-sources.js";
import { startTelemetryServer, type TelemetryServer, type TelemetryServerOptions } from "./start-server.js";

export interface TestLog {
  readonly dir: string;
  readonly path: string;
  readonly writer: EventWriter;
}

export async function testLog(options: { maxSizeBytes?: number; name?: string; dir?: string } = {}): Promise<TestLog> {
  const dir = options.dir ?? testdir("telemetry-server-");
  const path = join(dir, options.name ?? "events.jsonl");
  const writer = await openEventWriter({ path, ...(options.maxSizeBytes === undefined ? {} : { maxSizeBytes: options.maxSizeBytes, maxBackups: 1000 }) });
  onTestFinished(() => writer.close());
  return { dir, path, writer };
}

/** A small run: task_started, an execution with a cost, then completed or failed. */
export function taskEvents(runId: string, taskId: string, options: { fails?: boolean; agent?: string; model?: string; cost?: number; day?: string } = {}): EventInput[] {
  const day = options.day ?? "2026-11-30";
  const base = { run_id: runId, task_id: taskId, agent_role: options.agent ?? "coder", phase: "implementation", mode: "batch" };
  return [
    { ...base, event: "task_started", ts: `${day}T10:00:00.000Z`, status: "running", summary: `${taskId} starts` },
    { ...base, event: "execution_start", ts: `${day}T10:00:01.000Z`, tool: "codex", status: "running", log_paths: { stdout: `runs/${runId}/${taskId}/stdout.log` } },
    { ...base, event: "cost_update", ts: `${day}T10:00:05.000Z`, tool: "codex", metrics: { model: options.model ?? "gpt-4o", prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, cost_usd: options.cost ?? 0.01 } },
    { ...base, event: "execution_complete", ts: `${day}T10:00:06.000Z`, tool: "codex", status: options.fails === true ? "failed" : "completed" },
    options.fails === true
      ? { ...base, event: "task_failed", ts: `${day}T10:00:07.000Z`, status: "failed", summary: "3 tests failed" }
      : { ...base, event: "task_completed", ts: `${day}T10:00:07.000Z`, status: "completed" },
  ];
}

export async function emitAll(writer: EventWriter, events: readonly EventInput[]): Promise<void> {
  for (const event of events) await writer.emit(event);
}

/** A server on a free loopback port, closed when the test finishes. */
export async function serveForTest(options: Partial<TelemetryServerOptions> & { paths?: readonly string[] }): Promise<TelemetryServer> {
  const server = await startTelemetryServer({
    port: 0,
    pollIntervalMs: 20,
    ...options,
    sources: options.sources ?? logFileSources(options.paths ?? []),
  });
  onTestFinished(() => server.close());
  return server;
}

export function apiUrl(server: TelemetryServer, path: string): string {
  return `http://127.0.0.1:${server.port}${path}`;
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Polls until `check` returns true (or throws its last error after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
