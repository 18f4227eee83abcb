import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fixturePath, testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { linesOf, runCli } from "../run-cli.fixture.js";

const reference = fixturePath("python-reference", "events.jsonl");

/** Byte offset where 1-based line `n` starts, computed from the file itself. */
function offsetOfLine(bytes: Buffer, n: number): number {
  let offset = 0;
  for (let line = 1; line < n; line++) offset = bytes.indexOf(0x0a, offset) + 1;
  return offset;
}

const validLine = (id: string): string =>
  `{"event":"task_started","ts":"2026-02-13T10:00:00+00:00","run_id":"R","task_id":"${id}","event_id":"${id}"}\n`;

describe("telemetry verify", () => {
  it("finds the torn last line of the Python reference log at line 171 and its byte offset, and exits 1", async () => {
    const bytes = readFileSync(reference);
    const offset = offsetOfLine(bytes, 171);
    expect(bytes.length).toBeGreaterThan(offset);
    expect(bytes.subarray(offset).includes(0x0a)).toBe(false);

    const result = await runCli(["verify", reference]);

    expect(result.code).toBe(1);
    const lines = linesOf(result.stdout);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${reference.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:171:${offset} .*torn`));
    expect(lines[1]).toBe("170 valid events, 1 invalid line");
    expect(result.stderr).toBe("");
  });

  it("prints each invalid line as a JSON object with --json", async () => {
    const result = await runCli(["verify", reference, "--json"]);
    expect(result.code).toBe(1);
    const issues = linesOf(result.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: reference, line: 171, offset: offsetOfLine(readFileSync(reference), 171), kind: "torn" });
  });

  it("exits 0 for a clean log and its rotated file", async () => {
    const result = await runCli(["verify", fixturePath("python-reference", "rotated.jsonl")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("18 valid events, 0 invalid lines\n");
  });

  it("reads rotated files too and names the rotated file, line and offset of each problem", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const garbage = "{not json\n";
    writeFileSync(`${path}.2`, validLine("a") + garbage + validLine("b"));
    writeFileSync(`${path}.1`, validLine("c") + "\u0000\u0000\u0000\n");
    writeFileSync(path, validLine("d"));

    const result = await runCli(["verify", path]);

    expect(result.code).toBe(1);
    const lines = linesOf(result.stdout);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^${path}\\.2:2:${Buffer.byteLength(validLine("a"))} `));
    expect(lines[1]).toMatch(new RegExp(`^${path}\\.1:2:${Buffer.byteLength(validLine("c"))} `));
    expect(lines[2]).toBe("4 valid events, 2 invalid lines");
  });

  it("checks only the live file with --no-rotated", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    writeFileSync(`${path}.1`, "{broken\n");
    writeFileSync(path, validLine("d"));
    const result = await runCli(["verify", path, "--no-rotated"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("1 valid event, 0 invalid lines\n");
  });

  it("exits 2 with one line on stderr when the log does not exist", async () => {
    const missing = join(testdir(), "nope.jsonl");
    const result = await runCli(["verify", missing]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain(missing);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
