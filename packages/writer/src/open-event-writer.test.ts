import { readFileSync, statSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EventValidationError, parseEvent } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { WriterError } from "./errors.js";
import { openEventWriter, type EventWriter } from "./open-event-writer.js";
import type { Durability } from "./options.js";
import { readLog } from "./log-lines.fixture.js";

function lines(path: string): string[] {
  return readFileSync(path, "utf8").split("\n").slice(0, -1);
}

// The same suite under each durability mode, as pino/sonic-boom do.
describe.each<Durability>(["fsync", "write"])("with %s durability", (durability) => {
  async function open(path: string): Promise<EventWriter> {
    const writer = await openEventWriter({ path, durability });
    return writer;
  }

  it("creates the file at open and makes the first event its first line", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await open(path);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, "utf8")).toBe("");
    const stored = await writer.emit({ event: "task_started", run_id: "RUN-1" });
    expect(lines(path)).toEqual([JSON.stringify(stored)]);
    await writer.close();
  });

  it("writes one valid JSON line per event, in emit order", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await open(path);
    for (let i = 0; i < 20; i++) await writer.emit({ event: "cost_update", run_id: `RUN-${i}`, metrics: { cost_usd: i / 10 } });
    await writer.close();
    const stored = lines(path).map((line) => parseEvent(JSON.parse(line)));
    expect(stored.map((e) => e.run_id)).toEqual(Array.from({ length: 20 }, (_, i) => `RUN-${i}`));
  });

  it("keeps emit-call order in the file when emits are not awaited", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await open(path);
    const pending = Array.from({ length: 500 }, (_, i) => writer.emit({ event: "task_started", run_id: `RUN-${i}` }));
    await Promise.all(pending);
    await writer.close();
    expect(readLog(path).events.map((e) => e.run_id)).toEqual(Array.from({ length: 500 }, (_, i) => `RUN-${i}`));
  });

  it("never starves timers while producers keep awaiting emits", { timeout: 60_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await open(path);
    let timerFired = false;
    setTimeout(() => (timerFired = true), 20);
    let emitted = 0;
    // The cap only ends the loop if the timer never gets to run.
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        while (!timerFired && emitted < 50_000) {
          emitted++;
          await writer.emit({ event: "task_started" });
        }
      }),
    );
    await writer.close();
    expect(timerFired).toBe(true);
    expect(emitted).toBeLessThan(50_000);
  });

  it("creates deep parent directories", async () => {
    const path = join(testdir(), "a", "b", "c", "events.jsonl");
    const writer = await open(path);
    await writer.emit({ event: "task_started" });
    await writer.close();
    expect(lines(path)).toHaveLength(1);
  });

  it("stores 100 events from 5 concurrent producers of 20", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await open(path);
    await Promise.all(
      Array.from({ length: 5 }, async (_, p) => {
        for (let i = 0; i < 20; i++) await writer.emit({ event: "execution_start", task_id: `P${p}-${i}` });
      }),
    );
    await writer.close();
    const { events, fragments } = readLog(path);
    expect(fragments).toEqual([]);
    expect(new Set(events.map((e) => e.task_id)).size).toBe(100);
  });

  it("resolves with the stored event, keeping a caller's event_id and ts", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await open(path);
    const stored = await writer.emit({ event: "task_completed", event_id: "evt-1", ts: "2026-02-13T10:05:23.330081+00:00", status: "ok" });
    expect(stored).toMatchObject({ event: "task_completed", event_id: "evt-1", ts: "2026-02-13T10:05:23.330081+00:00", status: "ok" });
    const generated = await writer.emit({ event: "task_started" });
    expect(generated.event_id).toMatch(/^[0-9a-f-]{36}$/);
    await writer.close();
    expect(readLog(path).events).toEqual([stored, generated]);
  });

  it("rejects invalid input with the schema's EventValidationError and writes nothing", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await open(path);
    const bad = { event: "task_started", runId: "typo" } as unknown as Parameters<EventWriter["emit"]>[0];
    await expect(writer.emit(bad)).rejects.toBeInstanceOf(EventValidationError);
    await expect(writer.emit({ event: "nope" as "task_started" })).rejects.toThrow(/event/);
    await writer.flush();
    await writer.close();
    expect(readFileSync(path, "utf8")).toBe("");
  });

  it("rejects an event larger than maxEventBytes with EVENT_TOO_LARGE and writes nothing", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, durability, maxEventBytes: 200 });
    const error = await writer.emit({ event: "task_failed", summary: "x".repeat(300) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriterError);
    expect((error as WriterError).code).toBe("EVENT_TOO_LARGE");
    expect((error as WriterError).message).toMatch(/maxEventBytes \(200\)/);
    await writer.close();
    expect(readFileSync(path, "utf8")).toBe("");
  });

  it("rejects emits past maxQueueBytes with QUEUE_FULL instead of growing memory", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, durability, maxQueueBytes: 4096, maxEventBytes: 1024 });
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => writer.emit({ event: "task_started", run_id: `RUN-${i}` })));
    const rejected = results.filter((r) => r.status === "rejected");
    const accepted = results.filter((r) => r.status === "fulfilled");
    expect(accepted.length).toBeGreaterThan(0);
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) expect((r.reason as WriterError).code).toBe("QUEUE_FULL");
    await writer.close();
    // Exactly the accepted events are stored: a refusal writes nothing.
    expect(readLog(path).events.map((e) => e.event_id).sort()).toEqual(accepted.map((r) => r.value.event_id).sort());
  });

  it("closes idempotently and rejects later emits with WRITER_CLOSED", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await open(path);
    const last = writer.emit({ event: "task_started" });
    const closing = writer.close();
    expect(writer.close()).toBe(closing);
    await closing;
    await last;
    expect(writer.closed).toBe(true);
    await expect(writer.emit({ event: "task_started" })).rejects.toMatchObject({ code: "WRITER_CLOSED" });
    expect(lines(path)).toHaveLength(1);
  });

  it("flush waits for every earlier emit", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await open(path);
    for (let i = 0; i < 50; i++) void writer.emit({ event: "task_started", run_id: `RUN-${i}` });
    await writer.flush();
    expect(lines(path)).toHaveLength(50);
    await writer.close();
  });

  it("appends to an existing log without touching what is there", async () => {
    const path = join(testdir(), "events.jsonl");
    const before = `${JSON.stringify({ event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: "old" })}\n`;
    writeFileSync(path, before);
    const writer = await open(path);
    await writer.emit({ event: "task_completed" });
    await writer.close();
    expect(readFileSync(path, "utf8").startsWith(before)).toBe(true);
    expect(readLog(path).events.map((e) => e.event_id)[0]).toBe("old");
  });
});

describe("file mode", () => {
  it("creates the file with mode 0o600 by default", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    await writer.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("honours fileMode even where the umask would clear bits", async () => {
    const path = join(testdir(), "events.jsonl");
    const previous = process.umask(0o077);
    try {
      const writer = await openEventWriter({ path, fileMode: 0o644 });
      await writer.close();
    } finally {
      process.umask(previous);
    }
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it("leaves the mode of an existing file alone", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, "", { mode: 0o640 });
    const writer = await openEventWriter({ path, fileMode: 0o600 });
    await writer.close();
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });
});

describe("OS errors at open", () => {
  it("says ENOTDIR, not EEXIST, naming the file, when the log path runs through a regular file", async () => {
    const dir = testdir();
    writeFileSync(join(dir, "file"), "kept");
    for (const path of [join(dir, "file", "events.jsonl"), join(dir, "file", "deeper", "events.jsonl")]) {
      const error = await openEventWriter({ path }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WriterError);
      // Linux answers mkdir -p of a regular file with EEXIST, and of a path under one with ENOTDIR.
      expect((error as WriterError).code).toBe("ENOTDIR");
      expect((error as WriterError).path).toBe(join(dir, "file"));
      expect((error as WriterError).message).toMatch(/^creating directory .*file.* failed: .*\/file is not a directory/);
    }
    expect(readFileSync(join(dir, "file"), "utf8")).toBe("kept");
  });
});
