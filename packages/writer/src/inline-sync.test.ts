// One awaited producer on a fast disk: its lone event is fdatasync'd on the
// main thread (no thread-pool round trip); batches of many, and any sync once
// syncs turn slow, go to the thread pool so the event loop is never held long.
import * as fs from "node:fs";
import { join } from "node:path";
import { withTmpfs } from "@telemetry/test-utils";
import { afterEach, describe, expect, it, onTestFinished, vi, type TestContext } from "vitest";
import { openEventWriter, writerStats } from "./open-event-writer.js";
import { readLog } from "./log-lines.fixture.js";

/** Extra time each fdatasync takes, inline or on the pool: a disk that turned slow. */
let slowSyncMs = 0;
vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  const fdatasyncSync = (fd: number): void => {
    actual.fdatasyncSync(fd);
    const until = performance.now() + slowSyncMs;
    while (performance.now() < until) {
      // A slow disk holds the caller for this long.
    }
  };
  const fdatasync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void): void => {
    const delay = slowSyncMs;
    actual.fdatasync(fd, (error) => (delay === 0 ? callback(error) : setTimeout(() => callback(error), delay)));
  };
  return { ...actual, fdatasync: vi.fn(fdatasync), fdatasyncSync: vi.fn(fdatasyncSync) };
});

afterEach(() => {
  slowSyncMs = 0;
  vi.mocked(fs.fdatasync).mockClear();
  vi.mocked(fs.fdatasyncSync).mockClear();
});

/** A tmpfs: fdatasync there takes microseconds, like a fast NVMe disk, whatever the machine's own disk is. */
function fastDisk(context: TestContext): string | undefined {
  const tmpfs = withTmpfs(4 * 1024 * 1024);
  if (typeof tmpfs === "string") {
    context.skip(tmpfs);
    return undefined;
  }
  onTestFinished(() => tmpfs.unmount());
  return join(tmpfs.dir, "events.jsonl");
}

describe("inline fdatasync for a lone awaited event", () => {
  it("fdatasyncs a lone awaited event on the main thread when recent syncs were fast, and it is durable before emit resolves", async (context) => {
    const path = fastDisk(context);
    if (path === undefined) return;
    const writer = await openEventWriter({ path });
    for (let i = 0; i < 50; i++) {
      await writer.emit({ event: "task_started", run_id: `R-${i}` });
      expect(vi.mocked(fs.fdatasync).mock.calls.length + vi.mocked(fs.fdatasyncSync).mock.calls.length).toBeGreaterThanOrEqual(i + 1);
    }
    const { inlineSyncs, syncs } = writerStats(writer);
    await writer.close();
    // Most run inline; under load a preempted sync can look slow and send a few to the pool.
    expect(inlineSyncs).toBeGreaterThanOrEqual(25);
    expect(vi.mocked(fs.fdatasyncSync).mock.calls.length).toBe(inlineSyncs);
    expect(syncs).toBeGreaterThanOrEqual(50);
    expect(readLog(path).events).toHaveLength(50);
  });

  it("lets timers run while a lone awaited producer emits back to back on a fast disk", async (context) => {
    const path = fastDisk(context);
    if (path === undefined) return;
    const writer = await openEventWriter({ path });
    // Warm: the first emits pay for compilation, long enough for a timer to fire anyway.
    for (let i = 0; i < 100; i++) await writer.emit({ event: "task_started" });
    let timerFired = false;
    setTimeout(() => (timerFired = true), 20);
    let emitted = 0;
    // Every batch is one event synced inline, followed by the next without a
    // turn: the cap only ends the loop if the timer never gets to run.
    while (!timerFired && emitted < 50_000) {
      emitted++;
      await writer.emit({ event: "task_started" });
    }
    const { inlineSyncs } = writerStats(writer);
    await writer.close();
    expect(timerFired).toBe(true);
    expect(emitted).toBeLessThan(50_000);
    expect(inlineSyncs).toBeGreaterThan(0);
  });

  it("sends batches of many events to the thread pool", async (context) => {
    const path = fastDisk(context);
    if (path === undefined) return;
    const writer = await openEventWriter({ path });
    for (let i = 0; i < 5; i++) await writer.emit({ event: "task_started" });
    const before = writerStats(writer);
    vi.mocked(fs.fdatasync).mockClear();
    await Promise.all(Array.from({ length: 500 }, () => writer.emit({ event: "execution_start" })));
    const after = writerStats(writer);
    await writer.close();
    expect(after.batches - before.batches).toBeLessThan(50);
    // Every multi-event batch synced on the pool.
    expect(vi.mocked(fs.fdatasync).mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(after.inlineSyncs - before.inlineSyncs).toBeLessThanOrEqual(1);
  });

  it("syncs a lone event inline on a 2.5 ms disk while nothing else uses the event loop, and on the pool once other work keeps the loop busy", async (context) => {
    const path = fastDisk(context);
    if (path === undefined) return;
    const writer = await openEventWriter({ path });
    for (let i = 0; i < 10; i++) await writer.emit({ event: "task_started" });
    slowSyncMs = 2.5;
    const before = writerStats(writer).inlineSyncs;
    for (let i = 0; i < 60; i++) await writer.emit({ event: "execution_start" });
    const inlineWhileIdle = writerStats(writer).inlineSyncs - before;
    // Other work: every event-loop turn now runs 2 ms of someone else's callback.
    let busy = true;
    const otherWork = (): void => {
      const until = performance.now() + 2;
      while (performance.now() < until) {
        // someone else's callback
      }
      if (busy) setImmediate(otherWork);
    };
    setImmediate(otherWork);
    const beforeBusy = writerStats(writer).inlineSyncs;
    for (let i = 0; i < 60; i++) await writer.emit({ event: "execution_complete" });
    const inlineWhileBusy = writerStats(writer).inlineSyncs - beforeBusy;
    busy = false;
    await writer.close();
    expect(readLog(path).events).toHaveLength(130);
    // Under CPU contention a preempted sync or turn looks slow or busy for a
    // few events: a third while idle, at most a sixth while busy.
    expect(inlineWhileIdle).toBeGreaterThanOrEqual(20);
    expect(inlineWhileBusy).toBeLessThanOrEqual(10);
  });

  it("goes back to the thread pool once syncs turn slow, so a slow disk holds the event loop at most once", async (context) => {
    const path = fastDisk(context);
    if (path === undefined) return;
    const writer = await openEventWriter({ path });
    for (let i = 0; i < 10; i++) await writer.emit({ event: "task_started" });
    const warm = writerStats(writer).inlineSyncs;
    expect(warm).toBeGreaterThan(0);
    slowSyncMs = 20;
    for (let i = 0; i < 20; i++) await writer.emit({ event: "task_completed" });
    const inlineWhileSlow = writerStats(writer).inlineSyncs - warm;
    await writer.close();
    expect(inlineWhileSlow).toBe(1);
  });
});
