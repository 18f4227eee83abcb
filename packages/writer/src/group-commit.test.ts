import * as fs from "node:fs";
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openEventWriter, writerStats } from "./open-event-writer.js";
import { readLog } from "./log-lines.fixture.js";

// Count the real system calls the writer makes (the calls still go through).
vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  return { ...actual, fdatasync: vi.fn(actual.fdatasync), fdatasyncSync: vi.fn(actual.fdatasyncSync), fsync: vi.fn(actual.fsync), writeSync: vi.fn(actual.writeSync) };
});

// On the thread pool or inline (a lone event on a fast disk): both are an fdatasync.
const fdatasyncCalls = () => vi.mocked(fs.fdatasync).mock.calls.length + vi.mocked(fs.fdatasyncSync).mock.calls.length;
const writeCalls = () => vi.mocked(fs.writeSync).mock.calls.length;

afterEach(() => {
  vi.mocked(fs.fdatasync).mockClear();
  vi.mocked(fs.fdatasyncSync).mockClear();
  vi.mocked(fs.writeSync).mockClear();
});

describe("group commit", () => {
  it("makes 1,000 concurrent emits durable with far fewer than 1,000 fdatasyncs and writes", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    vi.mocked(fs.fdatasync).mockClear();
    vi.mocked(fs.fdatasyncSync).mockClear();
    vi.mocked(fs.writeSync).mockClear();
    await Promise.all(Array.from({ length: 1000 }, (_, i) => writer.emit({ event: "task_started", run_id: `RUN-${i}` })));
    const syncs = fdatasyncCalls();
    const writes = writeCalls();
    await writer.close();
    expect(readLog(path).events).toHaveLength(1000);
    expect(syncs).toBeGreaterThanOrEqual(1);
    expect(syncs).toBeLessThanOrEqual(10);
    expect(writes).toBeLessThanOrEqual(10);
    expect(writerStats(writer)).toMatchObject({ syncs });
  });

  it("coalesces concurrent awaiting producers into shared batches", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    await Promise.all(
      Array.from({ length: 100 }, async (_, p) => {
        for (let i = 0; i < 10; i++) await writer.emit({ event: "execution_start", task_id: `P${p}-${i}` });
      }),
    );
    const { batches, syncs } = writerStats(writer);
    await writer.close();
    expect(readLog(path).events).toHaveLength(1000);
    // 100 producers each awaiting 10 emits: about one batch per round, not one per event.
    expect(batches).toBeLessThan(100);
    expect(syncs).toBe(batches);
  });

  it("acknowledges a single awaited producer after its own write and fdatasync", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    vi.mocked(fs.fdatasync).mockClear();
    vi.mocked(fs.fdatasyncSync).mockClear();
    for (let i = 0; i < 5; i++) {
      await writer.emit({ event: "task_started", run_id: `RUN-${i}` });
      // Durable before the promise resolves: its fdatasync has already completed.
      expect(fdatasyncCalls()).toBe(i + 1);
      expect(readLog(path).events).toHaveLength(i + 1);
    }
    await writer.close();
  });

  it("never fdatasyncs per batch with write durability, but flush and close do", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, durability: "write" });
    vi.mocked(fs.fdatasync).mockClear();
    vi.mocked(fs.fdatasyncSync).mockClear();
    for (let i = 0; i < 20; i++) await writer.emit({ event: "task_started" });
    expect(fdatasyncCalls()).toBe(0);
    await writer.flush();
    expect(fdatasyncCalls()).toBe(1);
    await writer.emit({ event: "task_started" });
    await writer.close();
    expect(fdatasyncCalls()).toBe(2);
    expect(readLog(path).events).toHaveLength(21);
  });
});
