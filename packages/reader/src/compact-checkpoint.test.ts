import { renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testdir } from "@telemetry/test-utils";
import type { Checkpoint } from "./checkpoint.js";
import { compactCheckpoint, compactCheckpointJson, expandCheckpoint } from "./compact-checkpoint.js";
import { openLogCursor, type LogDiscontinuity } from "./log-cursor.js";

const line = (id: string): string => `{"event":"task_started","ts":"2026-02-13T10:00:00+00:00","run_id":"r","summary":"${"x".repeat(600)}","event_id":"${id}"}\n`;

async function checkpointsOf(path: string): Promise<Checkpoint[]> {
  const cursor = await openLogCursor(path, { from: "start" });
  try {
    return (await cursor.poll()).events.map((e) => e.checkpoint);
  } finally {
    await cursor.close();
  }
}

async function idsFrom(path: string, from: Checkpoint, gone: LogDiscontinuity[] = []): Promise<string[]> {
  const cursor = await openLogCursor(path, { from, onDiscontinuity: (d) => gone.push(d) });
  try {
    return (await cursor.poll()).events.map((e) => e.event.event_id);
  } finally {
    await cursor.close();
  }
}

describe("compact checkpoints (what each shipped message and each SSE id carries)", () => {
  it("is small whatever the file's first line, and resolves against the log to exactly the reader's checkpoint", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line("a") + line("b") + line("c"), { mode: 0o600 });
    const checkpoints = await checkpointsOf(path);
    for (const checkpoint of checkpoints) {
      const json = compactCheckpointJson(checkpoint);
      expect(JSON.parse(json)).toEqual(compactCheckpoint(checkpoint));
      expect(json.length).toBeLessThan(200);
      expect(json).not.toContain(checkpoint.file.head);
      expect(await expandCheckpoint(path, JSON.parse(json))).toEqual(checkpoint);
    }
    expect(await idsFrom(path, (await expandCheckpoint(path, compactCheckpoint(checkpoints[0]!)))!)).toEqual(["b", "c"]);
  });

  it("finds the file after it was rotated to another name", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line("a") + line("b"), { mode: 0o600 });
    const [first] = await checkpointsOf(path);
    renameSync(path, `${path}.1`);
    writeFileSync(path, line("c"), { mode: 0o600 });
    const resolved = (await expandCheckpoint(path, compactCheckpoint(first!)))!;
    expect(resolved).toEqual(first);
    expect(await idsFrom(path, resolved)).toEqual(["b", "c"]);
  });

  it("makes the cursor report the file as gone, not resume in a stranger, when no file of the log has its identity any more", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line("a") + line("b"), { mode: 0o600 });
    const [first] = await checkpointsOf(path);
    rmSync(path);
    writeFileSync(path, line("c"), { mode: 0o600 });
    const resolved = (await expandCheckpoint(path, compactCheckpoint(first!)))!;
    const gone: LogDiscontinuity[] = [];
    expect(await idsFrom(path, resolved, gone)).toEqual(["c"]);
    expect(gone.map((d) => d.kind)).toEqual(["file_gone"]);
  });

  it("does not follow a symlink put where the log's file was", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    writeFileSync(path, line("a"), { mode: 0o600 });
    const [first] = await checkpointsOf(path);
    renameSync(path, join(dir, "elsewhere.jsonl"));
    symlinkSync(join(dir, "elsewhere.jsonl"), path);
    const resolved = (await expandCheckpoint(path, compactCheckpoint(first!)))!;
    expect(resolved.file.head).not.toBe(first!.file.head);
  });

  it("returns a full checkpoint (what earlier versions stored) as it is", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line("a") + line("b"), { mode: 0o600 });
    const [first] = await checkpointsOf(path);
    expect(await expandCheckpoint(path, JSON.parse(JSON.stringify(first)))).toEqual(first);
  });

  it("is undefined for anything that is neither form", async () => {
    const path = join(testdir(), "events.jsonl");
    for (const value of ["", "not json", {}, { file: { dev: "1", ino: "2" }, offset: 0, line: 0 }, null, { file: { dev: "1", ino: "2", head_bytes: 3, head_sha256: "x" }, offset: -1, line: 0 }]) {
      expect(await expandCheckpoint(path, value)).toBeUndefined();
    }
  });
});
