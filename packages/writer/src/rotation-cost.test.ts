// Rotation costs what exists, not what maxBackups allows: at maxBackups
// 100,000 with a few backups a rotation makes a few renames, and a rotation
// of thousands of files yields to the event loop between short slices.
import * as fs from "node:fs";
import * as fsPromises from "node:fs/promises";
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openEventWriter } from "./open-event-writer.js";
import { rotateFiles } from "./rotation.js";
import { readRotatedLog } from "./log-lines.fixture.js";

// Count the real system calls (they still go through). Rotation renames on
// the thread pool (node:fs/promises); a synchronous rename would show in renameSync.
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof fsPromises>();
  return { ...actual, rename: vi.fn(actual.rename), lstat: vi.fn(actual.lstat) };
});
vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  return { ...actual, renameSync: vi.fn(actual.renameSync) };
});

const renames = (): number => vi.mocked(fsPromises.rename).mock.calls.length + vi.mocked(fs.renameSync).mock.calls.length;

afterEach(() => {
  vi.mocked(fsPromises.rename).mockClear();
  vi.mocked(fsPromises.lstat).mockClear();
  vi.mocked(fs.renameSync).mockClear();
});

/** Longest gap between 1 ms timer ticks while `work` runs: how long the event loop was held. */
async function maxEventLoopDelayMs(work: () => Promise<void>): Promise<number> {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 1);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 5));
  } finally {
    clearInterval(timer);
  }
  return Math.max(max, performance.now() - last);
}

describe("rotation cost", () => {
  it("renames only the backups that exist at maxBackups 100,000, not 100,000 slots", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, maxSizeBytes: 400, maxBackups: 100_000 });
    for (let i = 0; i < 4; i++) await writer.emit({ event: "task_started", summary: `${i}`.repeat(300) });
    vi.mocked(fsPromises.rename).mockClear();
    vi.mocked(fsPromises.lstat).mockClear();
    await writer.emit({ event: "task_started", summary: "4".repeat(300) });
    const renamed = renames();
    const lstats = vi.mocked(fsPromises.lstat).mock.calls.length;
    await writer.close();
    // Backups .1 .. .3 existed: three shifts and the live file, after looking at .1 .. .4.
    expect(renamed).toBe(4);
    expect(vi.mocked(fs.renameSync).mock.calls.length).toBe(0);
    expect(lstats).toBe(4);
    const log = readRotatedLog(path, 5);
    expect(log.events.map((e) => e.summary?.[0])).toEqual(["0", "1", "2", "3", "4"]);
  });

  it("keeps the event loop responsive while rotating 3,000 existing backups at maxBackups 100,000 (max delay measured)", { timeout: 60_000 }, async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    for (let n = 1; n <= 3000; n++) fs.writeFileSync(`${path}.${n}`, `${n}\n`);
    fs.writeFileSync(path, "live\n");
    vi.mocked(fsPromises.rename).mockClear();
    const delay = await maxEventLoopDelayMs(() => rotateFiles({ path, maxBackups: 100_000 }));
    expect(renames()).toBe(3001);
    expect(fs.readFileSync(`${path}.1`, "utf8")).toBe("live\n");
    expect(fs.readFileSync(`${path}.3001`, "utf8")).toBe("3000\n");
    expect(fs.existsSync(`${path}.3002`)).toBe(false);
    // 6,000 system calls in one go would hold the loop for tens of ms (the
    // old rotation held it 848 ms at this maxBackups); here each runs on the
    // thread pool. The bound is generous: on a shared 2-core machine an idle
    // process already sees 10-20 ms gaps.
    console.log(`rotation of 3,000 backups at maxBackups 100,000: max event-loop delay ${delay.toFixed(1)} ms`);
    expect(delay).toBeLessThan(100);
  });

  it("deletes by retention exactly as before: maxBackups files are kept, the oldest replaced", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    for (let n = 1; n <= 3; n++) fs.writeFileSync(`${path}.${n}`, `${n}\n`);
    fs.writeFileSync(path, "live\n");
    await rotateFiles({ path, maxBackups: 3 });
    expect([1, 2, 3].map((n) => fs.readFileSync(`${path}.${n}`, "utf8"))).toEqual(["live\n", "1\n", "2\n"]);
    expect(fs.existsSync(`${path}.4`)).toBe(false);
  });
});
