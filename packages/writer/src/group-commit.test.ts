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

  it("hands 1,000 producers their acknowledgements over several event-loop turns when each continuation costs CPU", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    let turn = 0;
    let counting = true;
    const tick = (): void => {
      turn++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const continuationsPerTurn = new Map<number, number>();
    await Promise.all(
      Array.from({ length: 1000 }, async () => {
        await writer.emit({ event: "task_started" });
        continuationsPerTurn.set(turn, (continuationsPerTurn.get(turn) ?? 0) + 1);
        // What a producer does next with its acknowledgement: ~0.1 ms of CPU.
        const until = performance.now() + 0.1;
        while (performance.now() < until) {
          // busy
        }
      }),
    );
    counting = false;
    await writer.close();
    // All at once, 1,000 x 0.1 ms would hold the event loop for 100 ms.
    expect(continuationsPerTurn.size).toBeGreaterThan(5);
    expect(Math.max(...continuationsPerTurn.values())).toBeLessThanOrEqual(128);
  });

  it("hands cheap acknowledgements back in large slices rather than 128 per turn", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, durability: "write" });
    let turn = 0;
    let counting = true;
    const tick = (): void => {
      turn++;
      if (counting) setImmediate(tick);
    };
    // Un-awaited emits, 2,000 per turn: nothing runs on their acknowledgement.
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 2000; i++) void writer.emit({ event: "task_started" });
      await new Promise((resolve) => setImmediate(resolve));
    }
    setImmediate(tick);
    const turnsOfResolution: number[] = [];
    const last = Array.from({ length: 2000 }, () => writer.emit({ event: "task_completed" }).then(() => turnsOfResolution.push(turn)));
    await Promise.all(last);
    counting = false;
    await writer.close();
    expect(readLog(path).events).toHaveLength(42_000);
    // One batch of 2,000: resolved in one slice (a GC pause or a preemption
    // measured with a slice can cost a few turns), not 2,000 / 128 = 16.
    expect(Math.max(...turnsOfResolution) - Math.min(...turnsOfResolution)).toBeLessThanOrEqual(5);
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
