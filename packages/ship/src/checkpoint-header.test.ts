import { renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openLogCursor, type Checkpoint, type LogDiscontinuity } from "@telemetry/reader";
import { testdir } from "@telemetry/test-utils";
import { checkpointFromHeader, checkpointHeader } from "./checkpoint-header.js";

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

describe("the checkpoint header each shipped message carries", () => {
  it("is small whatever the file's first line, and resolves against the log to exactly the reader's checkpoint", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line("a") + line("b") + line("c"), { mode: 0o600 });
    const checkpoints = await checkpointsOf(path);
    for (const checkpoint of checkpoints) {
      const header = checkpointHeader(checkpoint);
      expect(header.length).toBeLessThan(200);
      expect(header).not.toContain(checkpoint.file.head);
      expect(await checkpointFromHeader(header, path)).toEqual(checkpoint);
    }
    expect(await idsFrom(path, (await checkpointFromHeader(checkpointHeader(checkpoints[0]!), path))!)).toEqual(["b", "c"]);
  });

  it("finds the file after it was rotated to another name", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line("a") + line("b"), { mode: 0o600 });
    const [first] = await checkpointsOf(path);
    renameSync(path, `${path}.1`);
    writeFileSync(path, line("c"), { mode: 0o600 });
    const resolved = (await checkpointFromHeader(checkpointHeader(first!), path))!;
    expect(resolved).toEqual(first);
    expect(await idsFrom(path, resolved)).toEqual(["b", "c"]);
  });

  it("makes the cursor report the file as gone, not resume in a stranger, when no file of the log has its identity any more", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line("a") + line("b"), { mode: 0o600 });
    const [first] = await checkpointsOf(path);
    rmSync(path);
    writeFileSync(path, line("c"), { mode: 0o600 });
    const resolved = (await checkpointFromHeader(checkpointHeader(first!), path))!;
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
    const resolved = (await checkpointFromHeader(checkpointHeader(first!), path))!;
    expect(resolved.file.head).not.toBe(first!.file.head);
  });

  it("still reads the full checkpoint that messages shipped by earlier versions carry", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line("a") + line("b"), { mode: 0o600 });
    const [first] = await checkpointsOf(path);
    expect(await checkpointFromHeader(JSON.stringify(first), path)).toEqual(first);
  });

  it("is not a checkpoint when the header holds something else", async () => {
    const path = join(testdir(), "events.jsonl");
    for (const value of ["", "not json", "{}", '{"file":{"dev":"1","ino":"2"},"offset":0,"line":0}', "null"]) {
      expect(await checkpointFromHeader(value, path)).toBeUndefined();
    }
  });
});
