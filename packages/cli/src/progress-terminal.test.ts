// What a person at a terminal sees while a long job runs: one progress line
// (phase, done/total, rate, ETA) from the job's first moment, redrawn in
// place, gone before the result is printed. Runs the CLI on a real
// pseudo-terminal (util-linux `script`).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fixturePath, testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { runCli, runCliInTerminalTimed, type TimedChunk } from "./run-cli.fixture.js";

const EVENTS = 300_000;

/** A log of `count` small valid events, written in one go, and then one `task_failed` a minute later. */
function bigLog(dir: string, count: number): string {
  const path = join(dir, "events.jsonl");
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`{"event":"task_started","ts":"2026-02-13T10:00:00+00:00","run_id":"R","task_id":"t${i}","event_id":"e${i}"}\n`);
  lines.push(`{"event":"task_failed","ts":"2026-02-13T10:01:00+00:00","run_id":"R","task_id":"t0","event_id":"last"}\n`);
  writeFileSync(path, lines.join(""));
  return path;
}

/** The progress frames drawn (each starts with \r), with their arrival times. */
function frames(chunks: readonly TimedChunk[], phase: string): { atMs: number; text: string }[] {
  return chunks.flatMap((chunk) =>
    chunk.text
      .split("\r")
      .filter((part) => part.startsWith(`${phase}  `))
      .map((text) => ({ atMs: chunk.atMs, text: text.split("\x1b[K")[0]! })),
  );
}

describe("progress on a terminal", () => {
  it("verify shows the line from its first moment, with done/total, rate and ETA, and clears it before the summary", async (context) => {
    const path = bigLog(testdir(), EVENTS);
    const run = runCliInTerminalTimed(["verify", path], { env: { NO_COLOR: "1" } });
    if (typeof run === "string") return context.skip(run);
    const result = await run;
    expect(result.code).toBe(0);
    const shown = frames(result.chunks, "verifying");
    // The first frame is drawn as reading starts (0 events, 0 elapsed in the phase), not after the first second of work.
    expect(shown[0]?.text).toMatch(/^verifying {2}0 events {2}0ms$/);
    const middle = shown.find((f) => f.text.includes("events/s") && !f.text.endsWith("done"));
    expect(middle?.text).toMatch(/^verifying {2}(\[[#-]+\] +)?\d+% {2}[\d,]+\/~[\d,]+ events {2}[\d,]+ events\/s {2}ETA \S+$/);
    expect(shown.at(-1)?.text).toMatch(/^verifying {2}\[#+\] {2}100% {2}300,001\/300,001 events {2}[\d,]+ events\/s {2}done$/);
    // Then the line is cleared and the summary printed on its own line.
    expect(result.stdout.trimEnd().endsWith("\r\x1b[K300,001 valid events, 0 invalid lines")).toBe(true);
  });

  // The time filter is not one the byte-level pre-filter answers: every line is parsed, as in a slow query.
  it.for<[string, string[], string, RegExp]>([
    ["query", ["--since", "2026-02-13T10:00:30Z"], "querying", /\r<clear>2026-02-13 10:01:00\.000 task_failed +R\/t0\r?\n/],
    ["stats", [], "summarizing", /\r<clear>run +started \(UTC\)[^\r\n]*\r?\n[^\r\n]*\r?\nR +2026-02-13 10:00 +1m 00s +300,001 /],
  ])("%s shows MB of the log read of its size from its first moment, with rate and ETA, and clears it before the results", async ([command, args, phase, results], context) => {
    const path = bigLog(testdir(), EVENTS);
    const run = runCliInTerminalTimed([command, path, ...args], { env: { NO_COLOR: "1" } });
    if (typeof run === "string") return context.skip(run);
    const result = await run;
    expect(result.code).toBe(0);
    const shown = frames(result.chunks, phase);
    // Drawn as reading starts (nothing read yet), not after the first second of work.
    expect(shown[0]?.text).toMatch(new RegExp(`^${phase} {2}\\[-+\\] {4}0% {2}0\\.0 MB\\/33\\.\\d MB {2}ETA -$`));
    const middle = shown.find((f) => f.text.includes("MB/s") && !f.text.endsWith("done"));
    expect(middle?.text).toMatch(new RegExp(`^${phase} {2}(\\[[#-]+\\] +)?\\d+% {2}[\\d.]+ MB\\/33\\.\\d MB {2}[\\d.]+ MB\\/s {2}ETA \\S+$`));
    expect(shown.at(-1)?.text).toMatch(new RegExp(`^${phase} {2}\\[#+\\] {2}100% {2}(33\\.\\d) MB\\/\\1 MB {2}[\\d.]+ MB\\/s {2}done$`));
    // The results come after the line is cleared, never glued to it, and the line is gone at the end.
    expect(result.stdout.replaceAll("\x1b[K", "<clear>")).toMatch(results);
    expect(result.stdout.split("\r").at(-1)).not.toContain(phase);
  });

  it("import-legacy shows each phase with its counts and ends with the summary line", async (context) => {
    const out = join(testdir(), "events.jsonl");
    const run = runCliInTerminalTimed(["import-legacy", fixturePath("legacy", "telemetry.db"), "--out", out]);
    if (typeof run === "string") return context.skip(run);
    const result = await run;
    expect(result.code).toBe(0);
    expect(frames(result.chunks, "reading log")[0]?.text).toBe("reading log  0 events  0ms");
    const importing = frames(result.chunks, "importing");
    expect(importing[0]?.text).toMatch(/^importing {2}\[-+\] {4}0% {2}0\/120 rows {2}ETA -$/);
    expect(importing.at(-1)?.text).toMatch(/^importing {2}\[#+\] {2}100% {2}120\/120 rows( {2}[\d,]+ rows\/s)? {2}done$/);
    expect(result.stdout).toContain("imported 120 invocations, skipped 0 already in the log");
  });

  it("draws nothing with --json, and nothing when stderr is not a terminal", async (context) => {
    const path = bigLog(testdir(), 1000);
    const run = runCliInTerminalTimed(["verify", path, "--json"]);
    if (typeof run === "string") return context.skip(run);
    expect((await run).stdout).not.toContain("verifying");
    for (const [command, phase] of [["query", "querying"], ["stats", "summarizing"]] as const) {
      const json = runCliInTerminalTimed([command, path, "--json"]);
      if (typeof json === "string") return context.skip(json);
      const { stdout } = await json;
      expect(stdout, command).not.toContain(phase);
      expect(stdout, command).not.toContain("\x1b[K");
    }
    const piped = await runCli(["verify", path]);
    expect(piped.stderr).toBe("");
    expect(piped.stdout).toBe("1,001 valid events, 0 invalid lines\n");
  });
});
