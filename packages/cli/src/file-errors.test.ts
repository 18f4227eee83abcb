// Every command that reads a file names the path and the OS code when it
// cannot: a directory, a missing file, an unreadable file (as the user
// "nobody" when we are root, since root reads any file).
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { linesOf, runCli, type CliOptions } from "./run-cli.fixture.js";

const NOBODY = 65534;
const LINE = `{"event":"task_started","ts":"2026-02-13T10:00:00+00:00","run_id":"R","task_id":"t","event_id":"e1"}\n`;

/** The arguments that make `command` read `path` (and write, for import-legacy, into `out`). */
function argsFor(command: string, path: string, out: string): string[] {
  return command === "import-legacy" ? [command, path, "--out", out] : [command, path];
}

const COMMANDS = ["query", "tail", "verify", "stats", "import-legacy"] as const;

describe.each(COMMANDS)("telemetry %s", (command) => {
  it("names a directory and EISDIR, with exit 2 and one line", async () => {
    const dir = testdir();
    const out = join(dir, "out", "events.jsonl");
    const result = await runCli(argsFor(command, dir, out));
    expect(result.code).toBe(2);
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain(`telemetry ${command}: `);
    expect(result.stderr).toContain(dir);
    expect(result.stderr).toContain("(EISDIR)");
    expect(result.stderr).not.toMatch(/disk I\/O error/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("names a missing file and ENOENT, with exit 2 and one line", async () => {
    const dir = testdir();
    const missing = join(dir, "missing.jsonl");
    const result = await runCli(argsFor(command, missing, join(dir, "out.jsonl")));
    expect(result.code).toBe(2);
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain(missing);
    expect(result.stderr).toContain("ENOENT");
    expect(existsSync(join(dir, "out.jsonl"))).toBe(false);
  });

  it("names an unreadable file and EACCES, with exit 2 and one line", async () => {
    const dir = testdir();
    chmodSync(dir, 0o777);
    const unreadable = join(dir, "secret.jsonl");
    writeFileSync(unreadable, LINE);
    chmodSync(unreadable, 0o000);
    const out = join(dir, "out");
    mkdirSync(out, { mode: 0o777 });
    chmodSync(out, 0o777);
    // Root reads any file: run as "nobody" so the permission bits apply.
    const asUser: CliOptions = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY, cwd: dir } : {};
    const result = await runCli(argsFor(command, unreadable, join(out, "events.jsonl")), asUser);
    expect(result.code).toBe(2);
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain(unreadable);
    expect(result.stderr).toContain("EACCES");
  });
});
