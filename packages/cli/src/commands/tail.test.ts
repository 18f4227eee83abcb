import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readEvents } from "@telemetry/reader";
import { serializeEvent, type TelemetryEvent } from "@telemetry/schema";
import { fixturePath, testdir } from "@telemetry/test-utils";
import { beforeAll, describe, expect, it } from "vitest";
import { createColors } from "../color.js";
import { formatEvent } from "../format-event.js";
import { linesOf, runCli, runCliInTerminal, spawnLiveCli } from "../run-cli.fixture.js";

const reference = fixturePath("python-reference", "events.jsonl");
const plain = createColors({ stream: { write: () => true }, env: {}, flag: "never" });
const ESC = "\u001b[";

const line = (id: string, event = "task_started"): string =>
  `{"event":"${event}","ts":"2026-02-13T10:00:00+00:00","run_id":"R","task_id":"${id}","event_id":"${id}"}\n`;
const ids = (stdout: string): string[] => linesOf(stdout).map((l) => (JSON.parse(l) as TelemetryEvent).event_id);

describe("telemetry tail", () => {
  let all: TelemetryEvent[];
  beforeAll(async () => {
    all = [];
    for await (const event of readEvents(reference)) all.push(event);
  });

  it("prints the last 10 events by default, oldest first, one pretty line each", async () => {
    const result = await runCli(["tail", reference]);
    expect(result.code).toBe(0);
    expect(linesOf(result.stdout)).toEqual(all.slice(-10).map((event) => formatEvent(event, plain)));
  });

  it("prints the last N matching events as stored JSON with -n N --json", async () => {
    const result = await runCli(["tail", reference, "-n", "4", "--type", "cost_update", "--json"]);
    expect(linesOf(result.stdout)).toEqual(all.filter((e) => e.event === "cost_update").slice(-4).map(serializeEvent));
  });

  describe("colors", () => {
    it("adds no escape codes when stdout is a pipe", async () => {
      const result = await runCli(["tail", reference, "-n", "3"]);
      expect(result.stdout).not.toContain(ESC);
    });

    it("colors a pipe with --color, but never when NO_COLOR is set or --no-color is given", async () => {
      expect((await runCli(["tail", reference, "-n", "3", "--color"])).stdout).toContain(ESC);
      expect((await runCli(["tail", reference, "-n", "3", "--color"], { env: { NO_COLOR: "1" } })).stdout).not.toContain(ESC);
      expect((await runCli(["tail", reference, "-n", "3", "--color", "--no-color"])).stdout).not.toContain(ESC);
    });

    it("colors a terminal by default and not with NO_COLOR", async (context) => {
      const colored = runCliInTerminal(["tail", reference, "-n", "3"]);
      if (typeof colored === "string") return context.skip(colored);
      expect((await colored).stdout).toContain(ESC);
      const plainRun = runCliInTerminal(["tail", reference, "-n", "3"], { env: { NO_COLOR: "1" } });
      if (typeof plainRun === "string") return context.skip(plainRun);
      const result = await plainRun;
      expect(result.code).toBe(0);
      // The terminal carries stderr too (the torn-line warning): count event lines.
      expect(linesOf(result.stdout.replaceAll("\r", "")).filter((l) => /^\d{4}-\d{2}-\d{2} /.test(l))).toHaveLength(3);
      expect(result.stdout).not.toContain(ESC);
    });
  });

  describe("-f", () => {
    it("prints the last N events, then events appended by another process, across rotation, and exits 0 on SIGINT", async () => {
      const path = join(testdir(), "events.jsonl");
      writeFileSync(path, line("old-1") + line("old-2") + line("old-3"));
      const tail = spawnLiveCli(["tail", "-f", path, "-n", "2", "--json"]);
      await tail.waitForStdout((out) => linesOf(out).length >= 2);
      expect(ids(tail.stdout())).toEqual(["old-2", "old-3"]);

      const emit = (id: string): Promise<unknown> =>
        runCli(["emit", path, "--type", "task_completed", "--run", "R", "--id", id, "--summary", "x".repeat(100), "--max-size-bytes", "400", "--max-backups", "10", "-q"]);
      for (const id of ["new-1", "new-2", "new-3", "new-4"]) {
        expect(await emit(id)).toMatchObject({ code: 0 });
      }
      await tail.waitForStdout((out) => out.includes("new-4"));

      tail.child.kill("SIGINT");
      const result = await tail.exited;
      expect(result.code).toBe(0);
      expect(result.stderr).toBe("");
      expect(ids(result.stdout)).toEqual(["old-2", "old-3", "new-1", "new-2", "new-3", "new-4"]);
    });

    it("prints history then live with no gap and no repeat, even while the log grows during the history read", { timeout: 60_000 }, async () => {
      const path = join(testdir(), "events.jsonl");
      const all = Array.from({ length: 3000 }, (_, i) => `e-${i}`);
      writeFileSync(path, all.slice(0, 2500).map((id) => line(id)).join(""));
      const tail = spawnLiveCli(["tail", "-f", path, "-n", "1200", "--json"]);
      // Appends race the history read (several polls long): each event shows once, in order.
      for (let i = 2500; i < 3000; i += 50) {
        appendFileSync(path, all.slice(i, i + 50).map((id) => line(id)).join(""));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await tail.waitForStdout((out) => out.includes('"e-2999"'));
      tail.child.kill("SIGINT");
      const shown = ids((await tail.exited).stdout);
      expect(shown.length).toBeGreaterThanOrEqual(1200);
      expect(shown).toEqual(all.slice(all.length - shown.length));
    });

    it("with -F waits for a log that does not exist yet and prints all of it once it appears", { timeout: 60_000 }, async () => {
      const path = join(testdir(), "later.jsonl");
      const tail = spawnLiveCli(["tail", "-F", path, "--json"]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      writeFileSync(path, line("first") + line("second"));
      await tail.waitForStdout((out) => linesOf(out).length >= 2);
      appendFileSync(path, line("third"));
      await tail.waitForStdout((out) => out.includes("third"));
      tail.child.kill("SIGINT");
      const result = await tail.exited;
      expect(result.code).toBe(0);
      expect(ids(result.stdout)).toEqual(["first", "second", "third"]);
    });

    it("without -F fails at once, with the path, for a log that does not exist", async () => {
      const path = join(testdir(), "missing.jsonl");
      const result = await runCli(["tail", "-f", path]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(path);
    });

    it("applies filters to new events and with -n 0 shows only new ones", async () => {
      const path = join(testdir(), "events.jsonl");
      writeFileSync(path, line("old-failure", "task_failed"));
      const tail = spawnLiveCli(["tail", "-f", path, "-n", "0", "--type", "task_failed", "--json"]);
      // With -n 0 only events appended after the follower reached the end are
      // shown, and we cannot see when it has: append pairs until one shows.
      for (let i = 0; !tail.stdout().includes("failure-") && i < 100; i++) {
        appendFileSync(path, line(`started-${i}`) + line(`failure-${i}`, "task_failed"));
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      await tail.waitForStdout((out) => out.includes("failure-"));
      tail.child.kill("SIGINT");
      const result = await tail.exited;
      expect(result.code).toBe(0);
      const shown = ids(result.stdout);
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((id) => id.startsWith("failure-"))).toBe(true);
      // Consecutive: once following, no appended failure is missed.
      const numbers = shown.map((id) => Number(id.slice("failure-".length)));
      expect(numbers).toEqual(numbers.map((_, k) => numbers[0]! + k));
    });

    it("shows the existing events of a log whose live file ends in a torn line, then keeps following", async () => {
      const path = join(testdir(), "events.jsonl");
      writeFileSync(path, line("a") + line("b") + '{"event":"task_sta');
      const tail = spawnLiveCli(["tail", "-f", path, "-n", "5", "--json"]);
      await tail.waitForStdout((out) => linesOf(out).length >= 2);
      tail.child.kill("SIGINT");
      const result = await tail.exited;
      expect(result.code).toBe(0);
      expect(ids(result.stdout)).toEqual(["a", "b"]);
    });
  });
});
