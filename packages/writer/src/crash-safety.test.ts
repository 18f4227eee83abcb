// Real child processes: SIGKILL at random moments, and exits without awaiting.
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { openEventWriter } from "./open-event-writer.js";
import { runChild, startChild, writeChildProgram } from "./child-process.fixture.js";
import { readLog } from "./log-lines.fixture.js";

// Prints each event id once its emit resolved (stdout to a pipe is
// synchronous on Linux, so a printed id reached the parent before any kill).
const PRODUCERS = `
const { openEventWriter } = await import(WRITER_ENTRY);
const [path, tag, producers, durability, summaryBytes] = process.argv.slice(2);
const writer = await openEventWriter({ path, durability });
let n = 0;
async function producer(p) {
  for (;;) {
    const id = tag + "-" + p + "-" + (n++);
    const stored = await writer.emit({ event: "task_started", event_id: id, summary: "s".repeat(Number(summaryBytes)) });
    process.stdout.write(stored.event_id + "\\n");
  }
}
for (let p = 0; p < Number(producers); p++) void producer(p);
`;

const EXIT_WITHOUT_AWAIT = `
const { openEventWriter } = await import(WRITER_ENTRY);
const [path, how, durability] = process.argv.slice(2);
const writer = await openEventWriter({ path, durability });
const emitMany = (from, to) => { for (let i = from; i < to; i++) void writer.emit({ event: "cost_update", event_id: "e-" + i, metrics: { cost_usd: i } }); };
if (how === "process.exit") {
  emitMany(0, 5000);
  process.exit(0);
} else if (how === "process.exit while a batch is in flight") {
  emitMany(0, 2500);
  // By now the first batch is written and its fdatasync runs on the thread pool.
  setImmediate(() => setImmediate(() => { emitMany(2500, 5000); process.exit(0); }));
} else {
  // The script simply ends: the event loop drains the queue.
  emitMany(0, 5000);
}
`;

function waitForLines(child: ReturnType<typeof startChild>, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (child.stdout().split("\n").length > count) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
    child.done.then(() => {
      clearInterval(timer);
      reject(new Error("child exited before the kill point"));
    }, reject);
  });
}

describe("crash safety", () => {
  // Small lines with fsync; and megabyte batches with "write", where the kill
  // often cuts a write(2) part way (Linux stops a large write between pages
  // for a fatal signal), leaving a real torn tail for the next run to repair.
  it.each([
    { durability: "fsync", producers: 8, summaryBytes: 100, killPoints: [1, 20, 300, 2000] },
    { durability: "write", producers: 40, summaryBytes: 32 * 1024, killPoints: [1, 10, 30, 60, 100, 150, 200, 300] },
  ])("keeps every acknowledged event exactly once across SIGKILLs at random moments, and never glues after a torn tail ($durability, $summaryBytes-byte summaries)", { timeout: 120_000 }, async ({ durability, producers, summaryBytes, killPoints: basePoints }) => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const program = writeChildProgram(dir, "producers.mjs", PRODUCERS);
    const acknowledged: string[] = [];
    // Several kill points: right after start, early, and deep into a run, each with a random offset.
    const killPoints = basePoints.map((p) => p + Math.floor(Math.random() * p));
    for (const [round, killAfter] of killPoints.entries()) {
      const child = startChild(program, [path, `r${round}`, String(producers), durability, String(summaryBytes)]);
      await waitForLines(child, killAfter);
      // A random extra delay so the kill lands at varied points of a batch.
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      child.kill("SIGKILL");
      const result = await child.done;
      expect(result.signal).toBe("SIGKILL");
      // The last printed line may itself be torn by the kill: only whole lines count.
      const printed = result.stdout.split("\n").slice(0, -1);
      expect(printed.length).toBeGreaterThanOrEqual(killAfter);
      acknowledged.push(...printed);
      const log = readLog(path);
      // At most one fragment per crash, and only where a batch was cut.
      expect(log.fragments.length).toBeLessThanOrEqual(round + 1);
      const counts = new Map<string, number>();
      for (const event of log.events) counts.set(event.event_id, (counts.get(event.event_id) ?? 0) + 1);
      for (const id of acknowledged) expect(counts.get(id), id).toBe(1);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
    }
    const fragmentsBefore = readLog(path).fragments.length;
    const writer = await openEventWriter({ path });
    const more = await Promise.all(Array.from({ length: 10 }, () => writer.emit({ event: "task_completed" })));
    await writer.close();
    const log = readLog(path);
    expect(log.fragments).toHaveLength(fragmentsBefore);
    expect(log.endsWithNewline).toBe(true);
    expect(log.events.slice(-10).map((e) => e.event_id)).toEqual(more.map((e) => e.event_id));
  });

  it.each([
    ["process.exit", "fsync"],
    ["process.exit", "write"],
    ["process.exit while a batch is in flight", "fsync"],
    ["process.exit while a batch is in flight", "write"],
    ["the end of the script", "fsync"],
    ["the end of the script", "write"],
  ])("keeps every un-awaited emit when the process exits through %s (%s)", { timeout: 60_000 }, async (how, durability) => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const program = writeChildProgram(dir, "exit.mjs", EXIT_WITHOUT_AWAIT);
    const result = await runChild(program, [path, how, durability]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const log = readLog(path);
    expect(log.fragments).toEqual([]);
    expect(log.events.map((e) => e.event_id)).toEqual(Array.from({ length: 5000 }, (_, i) => `e-${i}`));
  });
});
