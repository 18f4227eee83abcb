import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { runCli } from "../run-cli.fixture.js";
import { startServeProcess } from "../serve-process.fixture.js";

describe("telemetry serve", () => {
  it("prints the URL as its first line, binds 127.0.0.1, and --port 0 picks a free port", async () => {
    const dir = testdir();
    const log = join(dir, "events.jsonl");
    expect((await runCli(["emit", log, "--type", "task_started", "--run", "RUN-1"])).code).toBe(0);
    const server = await startServeProcess([log, "--port", "0"]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.port).toBeGreaterThan(0);
    const runs = (await (await fetch(`${server.url}api/runs`)).json()) as { runs: { run_id: string }[] };
    expect(runs.runs.map((r) => r.run_id)).toEqual(["RUN-1"]);
    server.child.kill("SIGINT");
    expect(await server.exited).toBe(0);
  });

  it("generates a token on a non-loopback host, puts it in the URL and refuses requests without it", async () => {
    const dir = testdir();
    const log = join(dir, "events.jsonl");
    await runCli(["emit", log, "--type", "task_started", "--run", "RUN-1"]);
    const server = await startServeProcess([log, "--port", "0", "--host", "0.0.0.0"]);
    const token = new URL(server.url).searchParams.get("token");
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await fetch(`http://127.0.0.1:${server.port}/api/runs`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${server.port}/api/runs`, { headers: { authorization: `Bearer ${token!}` } })).status).toBe(200);
  });

  it("exits 2 with one line naming a log that does not exist or a bad option", async () => {
    const dir = testdir();
    const missing = await runCli(["serve", join(dir, "nope.jsonl"), "--port", "0"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.jsonl: no such log");
    const badPort = await runCli(["serve", dir, "--port", "http"]);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain("--port");
    const shortToken = await runCli(["serve", dir, "--port", "0", "--token", "abc"]);
    expect(shortToken.code).toBe(2);
    expect(shortToken.stderr).toContain("at least 8 characters");
  });
});
