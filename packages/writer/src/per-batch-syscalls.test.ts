// What a batch costs besides its write(2) and fdatasync: one lstat of the
// path (rotation by another process, and the size) and one fstat after the
// write (retention race). The last byte is read only when the size is not
// the one this writer left, i.e. when someone else wrote.
import * as fs from "node:fs";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openEventWriter } from "./open-event-writer.js";
import { readLog } from "./log-lines.fixture.js";

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  return {
    ...actual,
    statSync: vi.fn(actual.statSync),
    lstatSync: vi.fn(actual.lstatSync),
    fstatSync: vi.fn(actual.fstatSync),
    readSync: vi.fn(actual.readSync),
    writeSync: vi.fn(actual.writeSync),
  };
});

const COUNTED = ["statSync", "lstatSync", "fstatSync", "readSync", "writeSync"] as const;

function resetCounts(): void {
  for (const name of COUNTED) vi.mocked(fs[name]).mockClear();
}

function counts(): Record<(typeof COUNTED)[number], number> {
  return Object.fromEntries(COUNTED.map((name) => [name, vi.mocked(fs[name]).mock.calls.length])) as Record<(typeof COUNTED)[number], number>;
}

afterEach(resetCounts);

describe("system calls per batch", () => {
  it.each([
    ["without rotation", {}],
    ["with maxSizeBytes", { maxSizeBytes: 1024 * 1024 }],
  ])("makes one lstat and one fstat per batch besides the write, and never reads the tail it wrote itself (%s)", async (_, options) => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, ...options });
    await writer.emit({ event: "task_started" });
    resetCounts();
    for (let i = 0; i < 50; i++) await writer.emit({ event: "execution_start", task_id: `T-${i}` });
    const seen = counts();
    await writer.close();
    expect(seen).toEqual({ statSync: 0, lstatSync: 50, fstatSync: 50, readSync: 0, writeSync: 50 });
  });

  it("reads the last byte when another writer changed the size, and never glues onto its fragment", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    await writer.emit({ event: "task_started" });
    appendFileSync(path, '{"event":"task_sta');
    resetCounts();
    const after = await writer.emit({ event: "task_completed" });
    expect(counts().readSync).toBe(1);
    // A peer that appends whole lines changes the size too: checked, nothing added.
    appendFileSync(path, `${JSON.stringify({ ...after, event_id: "peer" })}\n`);
    const last = await writer.emit({ event: "task_failed" });
    await writer.close();
    const log = readLog(path);
    expect(log.fragments.map((f) => f.text)).toEqual(['{"event":"task_sta']);
    expect(log.events.at(-1)).toEqual(last);
    expect(log.blankLines).toBe(0);
  });
});
