import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { readFleet } from "@telemetry/ship";
import { natsServerMissing, startNatsServer, testdir } from "@telemetry/test-utils";
import { runCli, spawnLiveCli } from "../run-cli.fixture.js";

const missing = natsServerMissing();
const line = (id: string): string => `{"event":"task_started","ts":"2026-02-13T10:00:00+00:00","run_id":"R","event_id":"${id}"}\n`;

async function server(): Promise<Awaited<ReturnType<typeof startNatsServer>>> {
  const started = await startNatsServer();
  onTestFinished(() => started.dispose());
  return started;
}

async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function storedIds(url: string): Promise<string[]> {
  const ids: string[] = [];
  try {
    for await (const entry of readFleet({ servers: url })) ids.push(`${entry.host}:${entry.event.event_id}`);
  } catch (error) {
    if ((error as { code?: string }).code !== "STREAM_NOT_FOUND") throw error;
  }
  return ids;
}

describe("telemetry ship", () => {
  it("needs --server: a usage error (exit 2) that says so", async () => {
    const result = await runCli(["ship", "events.jsonl"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("telemetry ship: missing --server nats://HOST:PORT (see: telemetry ship --help)\n");
  });

  it("refuses a server URL that is not nats://HOST:PORT", async () => {
    const result = await runCli(["ship", "events.jsonl", "--server", "http://127.0.0.1:4222"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid --server "http://127.0.0.1:4222"');
  });

  describe.skipIf(missing !== undefined)(`against a real nats-server${missing ? ` (skipped: ${missing})` : ""}`, () => {
    it("ships the log until SIGTERM, then exits 0 saying what it shipped", async () => {
      const nats = await server();
      const path = join(testdir(), "events.jsonl");
      writeFileSync(path, line("a") + line("b"));
      const cli = spawnLiveCli(["ship", path, "--server", nats.url, "--host", "web-1"]);
      await waitUntil("both events in the stream", async () => (await storedIds(nats.url)).length === 2);
      cli.child.kill("SIGTERM");
      const result = await cli.exited;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain("telemetry ship: connecting\ntelemetry ship: shipping\n");
      expect(result.stderr).toContain("telemetry ship: stopped; 2 events shipped, 0 duplicates dropped by the stream, lag 0 bytes\n");
      expect(await storedIds(nats.url)).toEqual(["web-1:a", "web-1:b"]);
    });

    it("stops with exit code 2 and one line naming the difference when the stream is configured otherwise", async () => {
      const nats = await server();
      const path = join(testdir(), "events.jsonl");
      writeFileSync(path, line("a"));
      const first = spawnLiveCli(["ship", path, "--server", nats.url, "--host", "web-1"]);
      await waitUntil("the stream created", async () => (await storedIds(nats.url)).length === 1);
      first.child.kill("SIGTERM");
      await first.exited;
      const result = await runCli(["ship", path, "--server", nats.url, "--duplicate-window", "10s", "--host", "web-2"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^telemetry ship: .*JetStream stream "TELEMETRY" exists with a different configuration \(duplicate_window \(ms\): expected 10000, found 120000\); nothing was published/m);
      expect(await storedIds(nats.url)).toEqual(["web-1:a"]);
    });
  });
});
