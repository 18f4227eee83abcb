// Redaction happens before serialization: the secret must be absent from the
// file's bytes, not only from a parsed view of them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EventInput } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { openEventWriter } from "./open-event-writer.js";
import type { WriterOptions } from "./options.js";
import { readLog } from "./log-lines.fixture.js";

const SECRET = "sk-live-7f3a9c";

const full: EventInput = {
  event: "task_failed",
  run_id: "RUN-1",
  task_id: "T-1",
  phase: "build",
  agent_role: "coder",
  tool: "claude-code",
  mode: "batch",
  status: "error",
  log_paths: { stdout: `/logs/${SECRET}/out.txt`, stderr: "/logs/err.txt" },
  summary: `used key ${SECRET}`,
  metrics: { model: "gpt-x", prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cost_usd: 0.02, latency_ms: 800 },
  attributes: { prompt: `please use ${SECRET}`, other: SECRET, retries: 2 },
};

async function storeOne(options: Omit<WriterOptions, "path">, input: EventInput = full): Promise<{ bytes: string; stored: Record<string, unknown> }> {
  const path = join(testdir(), "events.jsonl");
  const writer = await openEventWriter({ path, ...options });
  const resolved = await writer.emit(input);
  await writer.close();
  const [onDisk] = readLog(path).events;
  expect(onDisk).toEqual(resolved);
  return { bytes: readFileSync(path, "utf8"), stored: onDisk as Record<string, unknown> };
}

describe("redact", () => {
  it('"summary" replaces the summary with "[REDACTED]"', async () => {
    const { bytes, stored } = await storeOne({ redact: ["summary", "attributes.*", "log_paths.stdout"] });
    expect(bytes).not.toContain(SECRET);
    expect(stored.summary).toBe("[REDACTED]");
  });

  it('"attributes.prompt" replaces one attribute and keeps the others', async () => {
    const { bytes, stored } = await storeOne({ redact: ["attributes.prompt"] }, { event: "task_started", attributes: { prompt: SECRET, retries: 2 } });
    expect(bytes).not.toContain(SECRET);
    expect(stored.attributes).toEqual({ prompt: "[REDACTED]", retries: 2 });
  });

  it('"attributes.*" replaces every attribute value', async () => {
    const { bytes, stored } = await storeOne({ redact: ["attributes.*"] }, { event: "task_started", attributes: { a: SECRET, b: 3, c: true } });
    expect(bytes).not.toContain(SECRET);
    expect(stored.attributes).toEqual({ a: "[REDACTED]", b: "[REDACTED]", c: "[REDACTED]" });
  });

  it('"log_paths.*" replaces every log path', async () => {
    const { bytes, stored } = await storeOne({ redact: ["log_paths.*"] }, { event: "task_started", log_paths: { stdout: SECRET, stderr: SECRET } });
    expect(bytes).not.toContain(SECRET);
    expect(stored.log_paths).toEqual({ stdout: "[REDACTED]", stderr: "[REDACTED]" });
  });

  it("never adds a field the event did not have", async () => {
    const { stored } = await storeOne({ redact: ["summary", "attributes.*", "metrics.model"] }, { event: "task_started", run_id: "R" });
    expect(Object.keys(stored).sort()).toEqual(["event", "event_id", "run_id", "ts"]);
  });

  it("applies to records and children as well", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, redact: ["summary", "attributes.token"] });
    writer.child({ attributes: { token: SECRET } }).record({ event: "task_started", summary: SECRET });
    await writer.close();
    expect(readFileSync(path, "utf8")).not.toContain(SECRET);
  });

  it.each([
    ["event", /cannot be redacted: it is required/],
    ["ts", /cannot be redacted/],
    ["event_id", /cannot be redacted/],
    ["metrics.cost_usd", /metrics.cost_usd" cannot be redacted: its figures are numbers/],
    ["attributes", /name its members: "attributes.<key>" or "attributes.\*"/],
    ["sumary", /"sumary" is not an event field/],
    ["summary.x", /"summary" is a string and has no members/],
    ["attributes.", /names no member/],
  ])("refuses the path %j at open with INVALID_OPTION", async (path, message) => {
    const error = await openEventWriter({ path: join(testdir(), "events.jsonl"), redact: [path] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID_OPTION" });
    expect((error as Error).message).toMatch(message);
  });
});

describe("privacyLevel", () => {
  it('"full" keeps every field as given', async () => {
    const { bytes, stored } = await storeOne({ privacyLevel: "full" });
    expect(bytes).toContain(SECRET);
    expect(stored).toMatchObject(full);
  });

  it('"metadata" drops the summary text and keeps everything else', async () => {
    const { stored } = await storeOne({ privacyLevel: "metadata" }, { ...full, attributes: { retries: 2 }, log_paths: { stdout: "/logs/out" } });
    const { summary: _dropped, ...rest } = full;
    expect(stored).toMatchObject({ ...rest, attributes: { retries: 2 }, log_paths: { stdout: "/logs/out" } });
    expect(stored).not.toHaveProperty("summary");
    const { bytes } = await storeOne({ privacyLevel: "metadata" }, { event: "task_failed", summary: SECRET });
    expect(bytes).not.toContain(SECRET);
  });

  it('"none" keeps ids, the type, the timestamp and metrics only', async () => {
    const { bytes, stored } = await storeOne({ privacyLevel: "none" });
    expect(bytes).not.toContain(SECRET);
    expect(Object.keys(stored)).toEqual(["event", "ts", "run_id", "task_id", "metrics", "event_id"]);
    expect(stored.metrics).toEqual(full.metrics);
  });

  it("combines with redact paths: the level first, then the paths", async () => {
    const { bytes, stored } = await storeOne({ privacyLevel: "metadata", redact: ["attributes.*", "log_paths.*"] });
    expect(bytes).not.toContain(SECRET);
    expect(stored).not.toHaveProperty("summary");
    expect(stored.attributes).toEqual({ prompt: "[REDACTED]", other: "[REDACTED]", retries: "[REDACTED]" });
  });

  it("refuses an unknown level with INVALID_OPTION", async () => {
    const error = await openEventWriter({ path: join(testdir(), "e.jsonl"), privacyLevel: "secret" as "full" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INVALID_OPTION", message: expect.stringMatching(/privacyLevel must be one of "full", "metadata", "none", got "secret"/) as unknown });
  });
});
