// Every `telemetry` command pays for the modules it loads before it prints a
// line. The NATS client (@telemetry/ship, @nats-io/*) and the HTTP server
// (@telemetry/server, @telemetry/web) are loaded only by the commands and
// sources that use them. A module-resolution hook in the child records every
// module it resolves, so these tests see what really loads. (That nats://
// sources, `ship` and `serve` still load what they need is proven by their
// own tests, fleet.test.ts and serve-browser.test.ts, which run them.)
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.fixture.js";

const LINE = `{"event":"task_started","ts":"2026-02-13T10:00:00+00:00","run_id":"R","task_id":"t","event_id":"e1"}\n`;

/** Modules only the fleet and the server need. */
const HEAVY = /\/@nats-io\/|\/packages\/(server|web)\/|\/packages\/ship\/dist\/index\.js$/;

/** Runs the CLI with a hook that appends each resolved module URL to a file; returns the exit code and those URLs. */
async function modulesLoadedBy(args: readonly string[]): Promise<{ code: number | null; stderr: string; urls: string[] }> {
  const dir = testdir();
  const record = join(dir, "resolved.txt");
  writeFileSync(record, "");
  const hooks = join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(record)}, result.url + "\\n");
  return result;
}
`,
  );
  const register = join(dir, "register.mjs");
  writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const result = await runCli(args, { nodeArgs: ["--import", pathToFileURL(register).href] });
  const urls = readFileSync(record, "utf8").split("\n").filter((url) => url !== "");
  return { code: result.code, stderr: result.stderr, urls };
}

describe("telemetry start-up", () => {
  it.each([["query"], ["stats"], ["tail"], ["verify"]])("runs %s on a log without loading the NATS client or the server", async (command) => {
    const log = join(testdir(), "events.jsonl");
    writeFileSync(log, LINE);
    const { code, stderr, urls } = await modulesLoadedBy([command, log]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    // The hook saw the command run: the reader was loaded.
    expect(urls.some((url) => url.includes("/reader/"))).toBe(true);
    expect(urls.filter((url) => HEAVY.test(url))).toEqual([]);
  });

  it("prints --version without loading the NATS client or the server", async () => {
    const { code, urls } = await modulesLoadedBy(["--version"]);
    expect(code).toBe(0);
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((url) => HEAVY.test(url))).toEqual([]);
  });
});
