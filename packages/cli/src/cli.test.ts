import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fixturePath, testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "./main.js";
import { collect, linesOf, runCli, startCli } from "./run-cli.fixture.js";

const reference = fixturePath("python-reference", "events.jsonl");
const STACK_FRAME = /\n\s+at /;

describe("telemetry (the binary)", () => {
  it("prints the version from package.json with --version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    const result = await runCli(["--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("lists every command with --help, and prints usage to stderr with exit 2 when called with nothing", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toContain(`  ${command.name} `);
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe("");
    expect(bare.stderr).toContain("Usage: telemetry <command>");
  });

  it.each(COMMANDS.map((c) => c.name))("has --help for %s with usage and an example, exit 0", async (name) => {
    const result = await runCli([name, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: telemetry ${name} `));
    expect(result.stdout).toMatch(/\nExample:\n {2}\$ telemetry /);
    expect(result.stderr).toBe("");
  });

  it.each(COMMANDS.map((c) => c.name))("rejects an unknown flag to %s with exit 2 and one line naming it", async (name) => {
    const result = await runCli([name, reference, "--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`telemetry ${name}: unknown option --bogus (see: telemetry ${name} --help)\n`);
  });

  it("rejects an unknown command with exit 2 and lists the commands", async () => {
    const result = await runCli(["tial", reference]);
    expect(result.code).toBe(2);
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain('unknown command "tial" (commands: demo, tail, query');
  });

  it.each([["tail"], ["query"], ["stats"], ["verify"]])("exits 2 with one line naming the path when %s is given a missing file", async (name) => {
    const missing = join(testdir(), "missing.jsonl");
    const result = await runCli([name, missing]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^telemetry ${name}: .*${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it("exits 2 with one line when a path is a directory", async () => {
    const result = await runCli(["query", testdir()]);
    expect(result.code).toBe(2);
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it.each([["--since", "yesterday"], ["--until", "2026-02-30"], ["--since", "2h ago"]])(
    "exits 2 with one line for a bad time %s %s",
    async (flag, value) => {
      const result = await runCli(["query", reference, flag, value]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        `telemetry query: invalid ${flag} "${value}": use a duration before now (30m, 2h, 7d) or an ISO time (2026-02-13, 2026-02-13T10:00:00Z)\n`,
      );
    },
  );

  it("exits 2 when a value is missing or not a number", async () => {
    expect((await runCli(["query", reference, "--limit"])).stderr).toBe("telemetry query: option --limit needs a value (see: telemetry query --help)\n");
    const bad = await runCli(["query", reference, "--limit", "ten"]);
    expect(bad).toMatchObject({ code: 2, stderr: 'telemetry query: invalid --limit "ten": expected a whole number >= 1\n' });
  });

  it("ends quietly with exit 0 when the reader of its output goes away (| head)", async () => {
    const path = join(testdir(), "big.jsonl");
    const line = (i: number): string =>
      `{"event":"task_started","ts":"2026-02-13T10:00:00+00:00","run_id":"R","summary":"${"x".repeat(200)}","event_id":"e${i}"}\n`;
    writeFileSync(path, Array.from({ length: 20_000 }, (_, i) => line(i)).join(""));
    const child = startCli(["query", path, "--json"]);
    const done = collect(child);
    child.stdout?.once("data", () => child.stdout?.destroy());
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });
});
