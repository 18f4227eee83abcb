// `record` is fire-and-forget: it must never throw into the host, never leave
// a rejected promise behind, and hand every failure to onError (or the
// rate-limited default report). The process tests run real children, because
// an unhandled rejection ends a Node process with exit code 1.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EventValidationError, type EventInput } from "@telemetry/schema";
import { testdir, withTmpfs } from "@telemetry/test-utils";
import { describe, expect, it, onTestFinished } from "vitest";
import { WriterError } from "./errors.js";
import { openEventWriter, writerStats } from "./open-event-writer.js";
import { readLog } from "./log-lines.fixture.js";
import { runChild, writeChildProgram } from "./child-process.fixture.js";

/** Resolves after `count` calls of the returned handler (failures arrive outside record's stack). */
function collectErrors(count: number): { handler: (error: Error, input: unknown) => void; all: Promise<{ error: Error; input: unknown }[]> } {
  const seen: { error: Error; input: unknown }[] = [];
  let done!: (value: typeof seen) => void;
  const all = new Promise<typeof seen>((resolve) => (done = resolve));
  return {
    handler: (error, input) => {
      seen.push({ error, input });
      if (seen.length === count) done(seen);
    },
    all,
  };
}

describe("record", () => {
  it("never throws for invalid, oversized or non-object input, and hands each failure with its input to onError", async () => {
    const path = join(testdir(), "events.jsonl");
    const errors = collectErrors(4);
    const writer = await openEventWriter({ path, onError: errors.handler, maxEventBytes: 1024 });
    const typo = { event: "task_started", runId: "x" } as unknown as EventInput;
    const huge: EventInput = { event: "task_started", summary: "x".repeat(4096) };
    expect(() => writer.record(typo)).not.toThrow();
    expect(() => writer.record(huge)).not.toThrow();
    expect(() => writer.record(null as unknown as EventInput)).not.toThrow();
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error("hostile input"); } }) as EventInput;
    expect(() => writer.record(hostile)).not.toThrow();
    writer.record({ event: "task_completed", run_id: "ok" });
    const seen = await errors.all;
    await writer.close();
    expect(seen[0]?.error).toBeInstanceOf(EventValidationError);
    expect(seen[0]?.error.message).toContain('runId: unknown field (did you mean "run_id"?)');
    expect(seen[0]?.input).toBe(typo);
    expect(seen[1]?.error).toMatchObject({ code: "EVENT_TOO_LARGE" });
    expect(seen[1]?.input).toBe(huge);
    expect(seen[2]?.error).toBeInstanceOf(EventValidationError);
    expect(seen[3]?.error.message).toContain("hostile input");
    expect(readLog(path).events.map((e) => e.run_id)).toEqual(["ok"]);
    expect(writerStats(writer)).toMatchObject({ recorded: 1, failed: 4 });
  });

  it("reports WRITER_CLOSED to onError after close instead of throwing", async () => {
    const path = join(testdir(), "events.jsonl");
    const errors = collectErrors(1);
    const writer = await openEventWriter({ path, onError: errors.handler });
    await writer.close();
    writer.record({ event: "task_started" });
    const [failure] = await errors.all;
    expect(failure?.error).toBeInstanceOf(WriterError);
    expect(failure?.error).toMatchObject({ code: "WRITER_CLOSED", path });
    expect(readFileSync(path, "utf8")).toBe("");
  });

  it("calls onError outside the record call, so a handler that records again cannot recurse", async () => {
    const path = join(testdir(), "events.jsonl");
    let depth = 0;
    let maxDepth = 0;
    let calls = 0;
    let inRecord = false;
    const writer = await openEventWriter({
      path,
      onError: () => {
        calls++;
        maxDepth = Math.max(maxDepth, depth);
        expect(inRecord).toBe(false);
        if (calls < 50) writer.record({ event: "nope" } as unknown as EventInput);
      },
    });
    depth++;
    inRecord = true;
    writer.record({ event: "nope" } as unknown as EventInput);
    inRecord = false;
    depth--;
    await writer.flush();
    await new Promise((resolve) => setImmediate(resolve));
    await writer.close();
    expect(calls).toBe(50);
    expect(maxDepth).toBe(0);
  });

  it("stores recorded events like emitted ones, in call order, and counts them", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    for (let i = 0; i < 100; i++) writer.record({ event: "execution_start", task_id: `T-${i}` });
    await writer.flush();
    expect(readLog(path).events.map((e) => e.task_id)).toEqual(Array.from({ length: 100 }, (_, i) => `T-${i}`));
    expect(writerStats(writer)).toMatchObject({ recorded: 100, failed: 0 });
    await writer.close();
  });
});

const RECORD_EVERYTHING_WRONG = `
const { openEventWriter, writerStats } = await import(WRITER_ENTRY);
const { writeFileSync, statfsSync, mkdirSync } = await import("node:fs");
const { join } = await import("node:path");
const dir = process.argv[2];
const writer = await openEventWriter({ path: join(dir, "events.jsonl"), maxEventBytes: 4096 });
// The mistakes a user makes with logger.info-style calls, none awaited.
void writer.record({ event: "task_started", runId: "x" });
writer.record(undefined);
writer.record({ event: "task_started", summary: "x".repeat(10000) });
// A full disk: fill what is left, then keep recording.
const fs = statfsSync(dir);
try { writeFileSync(join(dir, "filler"), Buffer.alloc(fs.bavail * fs.bsize)); } catch {}
for (let i = 0; i < 300; i++) writer.record({ event: "task_completed", summary: "y".repeat(500) });
await writer.flush().catch(() => {});
await writer.close().catch(() => {});
writer.record({ event: "task_started" });
await new Promise((resolve) => setTimeout(resolve, 50));
console.log(JSON.stringify(writerStats(writer)));
`;

const HANDLERS_THAT_FAIL = `
const { openEventWriter } = await import(WRITER_ENTRY);
const throwing = await openEventWriter({ path: process.argv[2], onError: () => { throw new Error("handler threw"); } });
throwing.record({ event: "nope" });
const rejecting = await openEventWriter({ path: process.argv[2], onError: async () => { throw new Error("async handler rejected"); } });
rejecting.record({ event: "nope" });
await new Promise((resolve) => setTimeout(resolve, 50));
console.log("still running");
`;

const RECORD_INVALID_MANY = `
const { openEventWriter } = await import(WRITER_ENTRY);
const writer = await openEventWriter({ path: process.argv[2] });
for (let i = 0; i < 1000; i++) writer.record({ event: "task_started", runId: "typo" });
await writer.flush();
await new Promise((resolve) => setImmediate(resolve));
for (let i = 0; i < 5; i++) writer.record({ event: "task_started", run_id: 42 });
await new Promise((resolve) => setImmediate(resolve));
console.log("still running");
`;

describe("record in a real process", () => {
  it("never ends the process: invalid input, a closed writer and a full tmpfs still exit 0", { timeout: 60_000 }, async (context) => {
    const tmpfs = withTmpfs(64 * 1024);
    if (typeof tmpfs === "string") {
      context.skip(tmpfs);
      return;
    }
    onTestFinished(() => tmpfs.unmount());
    const program = writeChildProgram(testdir(), "record.mjs", RECORD_EVERYTHING_WRONG);
    const result = await runChild(program, [tmpfs.dir]);
    expect(result.stderr).not.toMatch(/Unhandled|TypeError|at /);
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout) as { recorded: number; failed: number };
    // 3 bad inputs + at least one ENOSPC + the record after close.
    expect(stats.failed).toBeGreaterThanOrEqual(5);
    expect(stats.recorded + stats.failed).toBe(304);
    expect(result.stderr).toContain("failed with EVENT_INVALID");
    expect(result.stderr).toContain("failed with EVENT_TOO_LARGE");
    expect(result.stderr).toContain("failed with ENOSPC");
    expect(result.stderr).toContain("failed with WRITER_CLOSED");
  });

  it("survives an onError handler that throws or returns a rejected promise: the default report takes it", { timeout: 60_000 }, async () => {
    const dir = testdir();
    const program = writeChildProgram(dir, "handlers.mjs", HANDLERS_THAT_FAIL);
    const result = await runChild(program, [join(dir, "events.jsonl")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("still running\n");
    expect(result.stderr).toContain("handler threw");
    expect(result.stderr).toContain("async handler rejected");
  });

  it("default report: one stderr line per distinct error code, repeats counted, never a flood", { timeout: 60_000 }, async () => {
    const dir = testdir();
    const program = writeChildProgram(dir, "flood.mjs", RECORD_INVALID_MANY);
    const result = await runChild(program, [join(dir, "events.jsonl")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("still running\n");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^@telemetry\/writer: record\(\) to .*events\.jsonl failed with EVENT_INVALID: .*runId: unknown field/),
      // The 5 later bad inputs share the code: counted, and summed up once at exit.
      expect.stringMatching(/^@telemetry\/writer: record\(\) to .*events\.jsonl: EVENT_INVALID repeated 1004 more time\(s\) in the last \d+ s$/),
    ]);
  });
});
