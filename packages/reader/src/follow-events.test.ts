import { spawn } from "node:child_process";
import { appendFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createEvent, serializeEvent } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { FOLLOW_WRITER_SOURCE } from "./follow-writer.fixture.js";
import { followEvents, type Checkpoint, type FollowedEvent, type FollowOptions, type InvalidLine } from "./index.js";

const POLL = { pollIntervalMs: 10 };

function runWriter(path: string, first: number, count: number, rotateEvery: number, delayMs: number): Promise<void> {
  const program = join(dirname(path), "writer.mjs");
  writeFileSync(program, FOLLOW_WRITER_SOURCE);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [program, path, String(first), String(count), String(rotateEvery), String(delayMs)], { stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer exited with ${code}`))));
  });
}

const line = (i: number): string =>
  `${serializeEvent(createEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", task_id: `t-${i}`, event_id: `e-${i}` }))}\n`;

/** Follows until `count` events arrived (or the signal aborts), then stops the follower. */
async function take(path: string, count: number, options: FollowOptions = {}): Promise<FollowedEvent[]> {
  const controller = new AbortController();
  const got: FollowedEvent[] = [];
  if (count === 0) return got;
  for await (const item of followEvents(path, { ...POLL, ...options, signal: controller.signal })) {
    got.push(item);
    if (got.length === count) controller.abort();
  }
  return got;
}

const ids = (items: readonly FollowedEvent[]): string[] => items.map((i) => i.event.event_id);
const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `e-${from + i}`);

const waitFor = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

describe("followEvents", () => {
  it("sees every event exactly once, in order, while another process appends and rotates", { timeout: 60_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line(0).replace("e-0", "e-pre").replace("t-0", "t-pre"));
    const invalid: InvalidLine[] = [];
    const following = take(path, 301, { onInvalid: (i) => invalid.push(i) });
    await runWriter(path, 0, 300, 37, 1);
    const got = await following;
    expect(ids(got)).toEqual(["e-pre", ...range(0, 300)]);
    // Torn tails were waited for, never reported.
    expect(invalid).toEqual([]);
  });

  it("keeps up when several rotations happen between two looks", { timeout: 60_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, "");
    const following = take(path, 200, { pollIntervalMs: 300 });
    await runWriter(path, 0, 200, 10, 0);
    expect(ids(await following)).toEqual(range(0, 200));
  });

  it("resumes from a saved checkpoint after a restart with exactly the events after it, even after rotations", { timeout: 60_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, "");
    await runWriter(path, 0, 50, 20, 0);
    const first = await take(path, 30);
    expect(ids(first)).toEqual(range(0, 30));
    // The checkpoint goes through JSON, as it would through a file.
    const saved = JSON.parse(JSON.stringify(first.at(-1)!.checkpoint)) as Checkpoint;
    await runWriter(path, 50, 50, 20, 0);
    const rest = await take(path, 70, { from: saved });
    expect(ids(rest)).toEqual(range(30, 100));
  });

  it("starts at the end with from: \"end\", including a line being written at that moment", { timeout: 60_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line(0) + line(1) + line(2).slice(0, 20));
    const controller = new AbortController();
    const got: string[] = [];
    const following = (async () => {
      for await (const { event } of followEvents(path, { ...POLL, from: "end", signal: controller.signal })) {
        got.push(event.event_id);
        if (got.length === 2) controller.abort();
      }
    })();
    // Time for the follower to find the end (no assertion depends on it being quick).
    await new Promise((r) => setTimeout(r, 300));
    appendFileSync(path, line(2).slice(20) + line(3));
    await following;
    expect(got).toEqual(["e-2", "e-3"]);
  });

  it("waits for a torn last line to be completed instead of reporting it", { timeout: 60_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line(0) + line(1).slice(0, 30));
    const invalid: InvalidLine[] = [];
    const controller = new AbortController();
    const got: string[] = [];
    const following = (async () => {
      for await (const { event } of followEvents(path, { ...POLL, signal: controller.signal, onInvalid: (i) => invalid.push(i) })) {
        got.push(event.event_id);
        if (got.length === 2) controller.abort();
      }
    })();
    await waitFor(() => got.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(invalid).toEqual([]);
    appendFileSync(path, line(1).slice(30));
    await following;
    expect(got).toEqual(["e-0", "e-1"]);
    expect(invalid).toEqual([]);
  });

  it("reads every rotated file still there when retention deleted the one it was following", { timeout: 60_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line(0));
    const controller = new AbortController();
    const got: string[] = [];
    const following = (async () => {
      for await (const { event } of followEvents(path, { pollIntervalMs: 300, signal: controller.signal })) {
        got.push(event.event_id);
        if (got.length === 3) controller.abort();
      }
    })();
    await waitFor(() => got.length === 1);
    // Two rotations with maxBackups 1 before the next poll: the followed file is deleted.
    renameSync(path, `${path}.1`);
    writeFileSync(path, line(1));
    unlinkSync(`${path}.1`);
    renameSync(path, `${path}.1`);
    writeFileSync(path, line(2));
    await following;
    expect(got).toEqual(["e-0", "e-1", "e-2"]);
  });

  it("reports a torn tail once its file is rotated away, and goes on with the new file", { timeout: 60_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line(0) + line(1).slice(0, 30));
    const invalid: InvalidLine[] = [];
    const controller = new AbortController();
    const got: string[] = [];
    const following = (async () => {
      for await (const { event } of followEvents(path, { ...POLL, signal: controller.signal, onInvalid: (i) => invalid.push(i) })) {
        got.push(event.event_id);
        if (got.length === 2) controller.abort();
      }
    })();
    await waitFor(() => got.length === 1);
    renameSync(path, `${path}.1`);
    writeFileSync(path, line(2));
    await following;
    expect(got).toEqual(["e-0", "e-2"]);
    expect(invalid).toEqual([expect.objectContaining({ file: path, line: 2, kind: "torn" })]);
  });

  it("starts over from byte 0 when the file is truncated", { timeout: 60_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line(0) + line(1));
    const controller = new AbortController();
    const got: string[] = [];
    const following = (async () => {
      for await (const { event } of followEvents(path, { ...POLL, signal: controller.signal })) {
        got.push(event.event_id);
        if (got.length === 3) controller.abort();
      }
    })();
    await waitFor(() => got.length === 2);
    truncateSync(path, 0);
    appendFileSync(path, line(7));
    await following;
    expect(got).toEqual(["e-0", "e-1", "e-7"]);
  });

  it("stops cleanly, without an error, when the signal aborts while waiting", { timeout: 60_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line(0));
    const controller = new AbortController();
    const got: string[] = [];
    setTimeout(() => controller.abort(), 100);
    for await (const { event } of followEvents(path, { pollIntervalMs: 10_000, signal: controller.signal })) got.push(event.event_id);
    expect(got).toEqual(["e-0"]);
  });

  it("resumes from a checkpoint whose file no longer exists with every file still there", { timeout: 60_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line(0));
    const [first] = await take(path, 1);
    const gone = { ...first!.checkpoint, file: { ...first!.checkpoint.file, ino: "1" } };
    expect(ids(await take(path, 1, { from: gone }))).toEqual(["e-0"]);
    // Same inode but different first bytes: the inode was reused by a new file.
    writeFileSync(path, line(5));
    expect(ids(await take(path, 1, { from: first!.checkpoint }))).toEqual(["e-5"]);
  });

  it("fails with typed errors for a missing log and for a from that is not a checkpoint", async () => {
    const path = join(testdir(), "missing.jsonl");
    await expect(take(path, 1)).rejects.toMatchObject({ code: "ENOENT", path });
    await expect(take(path, 1, { from: "end" })).rejects.toMatchObject({ code: "ENOENT" });
    await expect(take(path, 1, { from: { file: {}, offset: -1 } as unknown as Checkpoint })).rejects.toMatchObject({ code: "CHECKPOINT_INVALID" });
  });
});
