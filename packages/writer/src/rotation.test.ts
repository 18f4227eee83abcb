import { existsSync, readdirSync, statSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { openEventWriter } from "./open-event-writer.js";
import { rotateFiles, rotatedPaths } from "./rotation.js";
import { readLog, readRotatedLog } from "./log-lines.fixture.js";

const line = (runId: string) => ({ event: "task_started" as const, run_id: runId, ts: "2026-01-01T00:00:00.000Z", event_id: runId });
// Each line above serializes to the same length.
const LINE_BYTES = JSON.stringify(line("RUN-000")).length + 1;

describe("rotation", () => {
  it("creates path.1 and a new file when the next event would pass maxSizeBytes", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, maxSizeBytes: LINE_BYTES * 3 });
    for (let i = 0; i < 4; i++) await writer.emit(line(`RUN-00${i}`));
    await writer.close();
    expect(readLog(`${path}.1`).events.map((e) => e.run_id)).toEqual(["RUN-000", "RUN-001", "RUN-002"]);
    expect(readLog(path).events.map((e) => e.run_id)).toEqual(["RUN-003"]);
  });

  it("does not rotate when maxSizeBytes is not set", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    for (let i = 0; i < 100; i++) void writer.emit(line(`RUN-${String(i).padStart(3, "0")}`));
    await writer.close();
    expect(existsSync(`${path}.1`)).toBe(false);
    expect(readLog(path).events).toHaveLength(100);
  });

  it("does not rotate while the file stays under the limit", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, maxSizeBytes: LINE_BYTES * 3 });
    for (let i = 0; i < 3; i++) await writer.emit(line(`RUN-00${i}`));
    await writer.close();
    expect(existsSync(`${path}.1`)).toBe(false);
    expect(statSync(path).size).toBe(LINE_BYTES * 3);
  });

  it("keeps maxBackups files and loses nothing on the second rotation", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, maxSizeBytes: LINE_BYTES, maxBackups: 3 });
    for (let i = 0; i < 4; i++) await writer.emit(line(`RUN-00${i}`));
    await writer.close();
    expect(readRotatedLog(path, 3).events.map((e) => e.run_id)).toEqual(["RUN-000", "RUN-001", "RUN-002", "RUN-003"]);
  });

  it("deletes only what is beyond maxBackups", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const writer = await openEventWriter({ path, maxSizeBytes: LINE_BYTES, maxBackups: 2 });
    for (let i = 0; i < 5; i++) await writer.emit(line(`RUN-00${i}`));
    await writer.close();
    expect(readdirSync(dir).sort()).toEqual(["events.jsonl", "events.jsonl.1", "events.jsonl.2"]);
    expect(readRotatedLog(path, 2).events.map((e) => e.run_id)).toEqual(["RUN-002", "RUN-003", "RUN-004"]);
  });

  it("never splits a batch across files and never exceeds the limit with whole batches", async () => {
    const path = join(testdir(), "events.jsonl");
    const max = LINE_BYTES * 7;
    const writer = await openEventWriter({ path, maxSizeBytes: max, maxBackups: 100 });
    await Promise.all(Array.from({ length: 100 }, (_, i) => writer.emit(line(`RUN-${String(i).padStart(3, "0")}`))));
    await writer.close();
    const all = readRotatedLog(path, 100);
    expect(all.fragments).toEqual([]);
    expect(all.events.map((e) => e.run_id)).toEqual(Array.from({ length: 100 }, (_, i) => `RUN-${String(i).padStart(3, "0")}`));
    for (const file of [path, ...rotatedPaths(path, 100)].filter((f) => existsSync(f))) {
      expect(statSync(file).size).toBeLessThanOrEqual(max);
      expect(readFileSync(file, "utf8").endsWith("\n")).toBe(true);
    }
  });

  it("gives an event larger than maxSizeBytes a file of its own", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, maxSizeBytes: 200, maxBackups: 5 });
    await writer.emit(line("RUN-small-1"));
    await writer.emit({ event: "task_failed", event_id: "big", summary: "x".repeat(500) });
    await writer.emit(line("RUN-small-2"));
    await writer.close();
    expect(readLog(`${path}.2`).events.map((e) => e.event_id)).toEqual(["RUN-small-1"]);
    expect(readLog(`${path}.1`).events.map((e) => e.event_id)).toEqual(["big"]);
    expect(readLog(path).events.map((e) => e.event_id)).toEqual(["RUN-small-2"]);
  });

  it("creates the new file with fileMode", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, maxSizeBytes: LINE_BYTES, fileMode: 0o640 });
    await writer.emit(line("RUN-000"));
    await writer.emit(line("RUN-001"));
    await writer.close();
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it("follows a rotation made by someone else before its next batch", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    await writer.emit(line("RUN-000"));
    await rotateFiles({ path, maxBackups: 2 });
    expect(existsSync(path)).toBe(false);
    await writer.emit(line("RUN-001"));
    await writer.close();
    expect(readLog(`${path}.1`).events.map((e) => e.run_id)).toEqual(["RUN-000"]);
    expect(readLog(path).events.map((e) => e.run_id)).toEqual(["RUN-001"]);
  });

  it("rotateFiles stops at a gap left by a crash mid-rotation: nothing beyond it moves, nothing is lost, order holds", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    writeFileSync(path, "current\n");
    writeFileSync(`${path}.2`, "older\n");
    await rotateFiles({ path, maxBackups: 3 });
    expect(readFileSync(`${path}.1`, "utf8")).toBe("current\n");
    expect(readFileSync(`${path}.2`, "utf8")).toBe("older\n");
    expect(existsSync(`${path}.3`)).toBe(false);
    expect(existsSync(`${path}.lock`)).toBe(false);
    // The next rotation closes up behind the run that exists.
    writeFileSync(path, "newest\n");
    await rotateFiles({ path, maxBackups: 3 });
    expect(["3", "2", "1"].map((n) => readFileSync(`${path}.${n}`, "utf8"))).toEqual(["older\n", "current\n", "newest\n"]);
  });

  it("rotatedPaths lists backups newest first", () => {
    expect(rotatedPaths("/l/e.jsonl", 3)).toEqual(["/l/e.jsonl.1", "/l/e.jsonl.2", "/l/e.jsonl.3"]);
    expect(rotatedPaths("/l/e.jsonl", 0)).toEqual([]);
    expect(() => rotatedPaths("/l/e.jsonl", -1)).toThrow(/maxBackups must be an integer >= 0/);
  });
});
