import { spawn } from "node:child_process";
import { appendFileSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createEvent, serializeEvent } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { ChunkParser } from "./chunk-parser.js";
import { FOLLOW_WRITER_SOURCE } from "./follow-writer.fixture.js";
import { openLogCursor, type Checkpoint, type CursorEntry, type InvalidLine, type LogCursor, type LogCursorOptions, type LogDiscontinuity } from "./index.js";

function runWriter(path: string, args: { first: number; count: number; rotateEvery: number; delayMs: number; maxBackups?: number }): Promise<void> {
  const program = join(dirname(path), "writer.mjs");
  writeFileSync(program, FOLLOW_WRITER_SOURCE);
  const argv = [program, path, args.first, args.count, args.rotateEvery, args.delayMs, args.maxBackups ?? 0].map(String);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer exited with ${code}`))));
  });
}

const line = (i: number): string =>
  `${serializeEvent(createEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", task_id: `t-${i}`, event_id: `e-${i}` }))}\n`;
const lines = (from: number, to: number): string => Array.from({ length: to - from }, (_, i) => line(from + i)).join("");
const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `e-${from + i}`);
const ids = (entries: readonly CursorEntry[]): string[] => entries.map((e) => e.event.event_id);

/** Polls until caught up; every entry read. */
async function drain(cursor: LogCursor): Promise<CursorEntry[]> {
  const got: CursorEntry[] = [];
  for (;;) {
    const { events, caughtUp } = await cursor.poll();
    got.push(...events);
    if (caughtUp) return got;
  }
}

async function readAll(path: string, options: LogCursorOptions = {}): Promise<CursorEntry[]> {
  const cursor = await openLogCursor(path, options);
  try {
    return await drain(cursor);
  } finally {
    await cursor.close();
  }
}

const viaJson = (checkpoint: Checkpoint): Checkpoint => JSON.parse(JSON.stringify(checkpoint)) as Checkpoint;

describe("openLogCursor", () => {
  it("sees every event exactly once, in order, while another process appends, rotates and deletes old files, even when reopened from its checkpoint again and again", { timeout: 90_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, "");
    const total = 400;
    let writing = true;
    // Retention keeps 6 rotated files (240 events): the writer deletes 4 files during the test, and a
    // cursor starved by a loaded machine may fall up to 240 events behind before one of its files goes.
    const writer = runWriter(path, { first: 0, count: total, rotateEvery: 40, delayMs: 1, maxBackups: 6 }).finally(() => (writing = false));
    const got: CursorEntry[] = [];
    const gone: LogDiscontinuity[] = [];
    const onDiscontinuity = (d: LogDiscontinuity): number => gone.push(d);
    let cursor = await openLogCursor(path, { onDiscontinuity });
    try {
      for (let round = 0; ; round++) {
        const wasWriting = writing;
        const { events, caughtUp } = await cursor.poll({ maxEvents: 25 });
        got.push(...events);
        if (!wasWriting && caughtUp) break;
        if (round % 3 === 2) {
          // A restart: the next cursor starts from the saved checkpoint, through JSON as through a file.
          const saved = cursor.checkpoint;
          await cursor.close();
          cursor = await openLogCursor(path, saved === undefined ? { onDiscontinuity } : { from: viaJson(saved), onDiscontinuity });
        }
        if (caughtUp) await new Promise((r) => setTimeout(r, 3));
      }
    } finally {
      await cursor.close();
      await writer;
    }
    // A file deleted before the cursor read it would be reported here (the limit retention sets), not lost silently.
    expect(gone).toEqual([]);
    expect(ids(got)).toEqual(range(0, total));
  });

  it("resumed from any checkpoint it gave, returns exactly the events after it, across rotated files", { timeout: 60_000 }, async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, "");
    await runWriter(path, { first: 0, count: 90, rotateEvery: 20, delayMs: 0 });
    const all = await readAll(path);
    expect(ids(all)).toEqual(range(0, 90));
    for (const [i, entry] of all.entries()) {
      expect(ids(await readAll(path, { from: viaJson(entry.checkpoint) }))).toEqual(range(i + 1, 90));
    }
  });

  it("gives each event's line exactly as stored and checkpoints that are plain JSON", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line(0) + line(1).replace("\n", "\r\n"));
    const [first, second] = await readAll(path);
    expect(first!.line).toBe(line(0).slice(0, -1));
    expect(second!.line).toBe(line(1).slice(0, -1));
    expect(viaJson(second!.checkpoint)).toEqual(second!.checkpoint);
    expect(second!.checkpoint).toMatchObject({ offset: readFileSync(path).length, line: 2 });
  });

  it("gives the same events, lines, checkpoints and reports whatever the size of the appends it follows and of its polls", async () => {
    // Appends from 1 byte to over a MiB: read synchronously when small or
    // just written, through the thread pool otherwise; lines split across
    // appends, damaged lines among them, polls of 1 to 100,000 events.
    const body: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      body.push(line(i).replace("t-", `t-${"x".repeat(i % 50)}-`));
      if (i % 997 === 5) body.push("{bad json\n");
      if (i % 1499 === 7) body.push('{"event":"task_started"}\n');
      if (i % 1999 === 9) body.push(`${"y".repeat(5000)}\n`);
      if (i % 2999 === 11) body.push(line(1e6 + i).replace("\n", "\r\n"), "\n");
    }
    const bytes = Buffer.from(body.join(""));
    const expected: string[] = [];
    const expectedReports: string[] = [];
    const parser = new ChunkParser({ maxLineBytes: 4096 });
    let head = 0;
    for (const item of [...parser.push(bytes), ...parser.end()]) {
      if (item.type === "invalid") expectedReports.push(`${item.issue.line}@${item.issue.offset} ${item.issue.kind}`);
      else {
        head ||= Math.min(1024, item.end);
        expected.push(`${item.event.event_id} ${item.line}@${item.end} ${item.text}`);
      }
    }
    expect(expectedReports.map((r) => r.split(" ")[1])).toEqual(expect.arrayContaining(["json", "schema", "too_long"]));
    for (const sizes of [[1, 13, 250, 70_000, 1_200_000, 5_000, 300_000], [65_536, 1_048_576, 1_048_577, 65_537, 2]]) {
      const path = join(testdir(), "events.jsonl");
      writeFileSync(path, "");
      const got: string[] = [];
      const reports: string[] = [];
      const checkpoints: Checkpoint[] = [];
      const cursor = await openLogCursor(path, { maxLineBytes: 4096, onInvalid: (i) => reports.push(`${i.line}@${i.offset} ${i.kind}`) });
      try {
        for (let at = 0, step = 0; at < bytes.length || step % 3 !== 0; step++) {
          const end = Math.min(bytes.length, at + sizes[step % sizes.length]!);
          appendFileSync(path, bytes.subarray(at, end));
          at = end;
          // Every third append is left to pile up with the next ones before a poll.
          if (step % 3 === 1 && at < bytes.length) continue;
          for (let round = 0; ; round++) {
            const { events, caughtUp } = await cursor.poll({ maxEvents: [1, 7, 1000, 100_000][(step + round) % 4]! });
            for (const e of events) {
              got.push(`${e.event.event_id} ${e.checkpoint.line}@${e.checkpoint.offset} ${e.line}`);
              checkpoints.push(e.checkpoint);
            }
            if (caughtUp) break;
          }
        }
      } finally {
        await cursor.close();
      }
      expect(got).toEqual(expected);
      expect(reports).toEqual(expectedReports);
      const { dev, ino } = statSync(path, { bigint: true });
      const file = { dev: String(dev), ino: String(ino), head: bytes.subarray(0, head).toString("base64") };
      expect(checkpoints.every((c) => c.file === checkpoints[0]!.file)).toBe(true);
      expect(viaJson(checkpoints[0]!).file).toEqual(file);
      // The same checkpoints as a cursor reading the finished file in one go.
      expect((await readAll(path, { maxLineBytes: 4096 })).map((e) => e.checkpoint)).toEqual(checkpoints);
    }
  });

  it("says caughtUp exactly when no complete line is left to read", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, lines(0, 3) + line(3).slice(0, 25));
    const cursor = await openLogCursor(path);
    try {
      expect(await cursor.poll({ maxEvents: 2 })).toMatchObject({ caughtUp: false, events: [{ event: { event_id: "e-0" } }, { event: { event_id: "e-1" } }] });
      // Exactly the events that were left: still caught up, the torn line does not count.
      const third = await cursor.poll({ maxEvents: 1 });
      expect([ids(third.events), third.caughtUp]).toEqual([["e-2"], true]);
      expect(await cursor.poll()).toEqual({ events: [], caughtUp: true });
      appendFileSync(path, line(3).slice(25) + "{ not json }\n");
      const fourth = await cursor.poll({ maxEvents: 1 });
      // Only an invalid line is left after e-3: nothing to read, so caught up.
      expect([ids(fourth.events), fourth.caughtUp]).toEqual([["e-3"], true]);
      // A rotation with events waiting in the new file is not caught up until they are read.
      renameSync(path, `${path}.1`);
      writeFileSync(path, lines(4, 6));
      const fifth = await cursor.poll({ maxEvents: 1 });
      expect([ids(fifth.events), fifth.caughtUp]).toEqual([["e-4"], false]);
      const sixth = await cursor.poll({ maxEvents: 1 });
      expect([ids(sixth.events), sixth.caughtUp]).toEqual([["e-5"], true]);
    } finally {
      await cursor.close();
    }
  });

  it("waits for a torn last line to be completed, and reports it as torn only once a newer file exists", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line(0) + line(1).slice(0, 30));
    const invalid: InvalidLine[] = [];
    const cursor = await openLogCursor(path, { onInvalid: (i) => invalid.push(i) });
    try {
      expect(ids((await cursor.poll()).events)).toEqual(["e-0"]);
      expect(invalid).toEqual([]);
      appendFileSync(path, line(1).slice(30) + line(2).slice(0, 30));
      expect(ids((await cursor.poll()).events)).toEqual(["e-1"]);
      renameSync(path, `${path}.1`);
      writeFileSync(path, line(3));
      expect(ids((await cursor.poll()).events)).toEqual(["e-3"]);
      expect(invalid).toEqual([expect.objectContaining({ file: path, line: 3, kind: "torn" })]);
    } finally {
      await cursor.close();
    }
  });

  it("starts over at byte 0 when the file is truncated, also when it was rewritten past the old size", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, lines(0, 2));
    const resets: LogDiscontinuity[] = [];
    const cursor = await openLogCursor(path, { onDiscontinuity: (d) => resets.push(d) });
    try {
      expect(ids(await drain(cursor))).toEqual(["e-0", "e-1"]);
      truncateSync(path, 0);
      appendFileSync(path, line(7));
      expect(ids(await drain(cursor))).toEqual(["e-7"]);
      // Same inode, longer than before, other first bytes: a truncation the size alone cannot show.
      writeFileSync(path, lines(10, 14));
      expect(ids(await drain(cursor))).toEqual(range(10, 14));
      expect(resets).toEqual([
        { kind: "truncated", file: path },
        { kind: "truncated", file: path },
      ]);
    } finally {
      await cursor.close();
    }
  });

  it("follows a file deleted and created again under the same name, without repeating the old one", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    writeFileSync(`${path}.1`, lines(0, 2));
    writeFileSync(path, lines(2, 4));
    const cursor = await openLogCursor(path);
    try {
      expect(ids(await drain(cursor))).toEqual(range(0, 4));
      unlinkSync(path);
      expect(await cursor.poll()).toEqual({ events: [], caughtUp: true });
      // The new file may get the old inode number back; its first bytes tell it apart.
      writeFileSync(path, lines(4, 6));
      expect(ids(await drain(cursor))).toEqual(range(4, 6));
    } finally {
      await cursor.close();
    }
  });

  it("resumes a checkpoint whose file was rotated out and deleted by retention with every file still there", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, lines(0, 3));
    const entries = await readAll(path);
    const saved = viaJson(entries[1]!.checkpoint);
    // While nobody reads: two rotations with one backup kept, so the checkpoint's file is deleted.
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(3, 5));
    unlinkSync(`${path}.1`);
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(5, 7));
    const resets: LogDiscontinuity[] = [];
    expect(ids(await readAll(path, { from: saved, onDiscontinuity: (d) => resets.push(d) }))).toEqual(range(3, 7));
    expect(resets).toEqual([{ kind: "file_gone", file: path }]);
  });

  it("resumes a checkpoint whose file was rotated several times while away from that file's rest onwards", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, lines(0, 3));
    const saved = viaJson((await readAll(path))[0]!.checkpoint);
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(3, 5));
    renameSync(`${path}.1`, `${path}.2`);
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(5, 6));
    expect(ids(await readAll(path, { from: saved }))).toEqual(range(1, 6));
  });

  it("keeps working with a checkpoint saved by earlier versions", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, lines(0, 4));
    const current = (await readAll(path))[1]!.checkpoint;
    // The format followEvents wrote before the cursor existed: the same fields, nothing else.
    const old = { file: { dev: current.file.dev, ino: current.file.ino, head: current.file.head }, offset: current.offset, line: current.line };
    expect(ids(await readAll(path, { from: old }))).toEqual(["e-2", "e-3"]);
  });

  it("from \"end\" returns only lines completed after the open, including one being written at that moment", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, lines(0, 2) + line(2).slice(0, 20));
    const cursor = await openLogCursor(path, { from: "end" });
    try {
      expect(cursor.checkpoint).toMatchObject({ offset: lines(0, 2).length, line: 2 });
      expect(await cursor.poll()).toEqual({ events: [], caughtUp: true });
      appendFileSync(path, line(2).slice(20) + line(3));
      expect(ids(await drain(cursor))).toEqual(["e-2", "e-3"]);
    } finally {
      await cursor.close();
    }
  });

  it("has no checkpoint before the first event from the start, then the last returned event's", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, "");
    const cursor = await openLogCursor(path);
    try {
      expect(cursor.checkpoint).toBeUndefined();
      appendFileSync(path, lines(0, 3));
      const { events } = await cursor.poll({ maxEvents: 2 });
      expect(cursor.checkpoint).toEqual(events[1]!.checkpoint);
    } finally {
      await cursor.close();
    }
  });

  it("closes idempotently, also through await using, and refuses polls after close", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, line(0));
    const cursor = await openLogCursor(path);
    await Promise.all([cursor.close(), cursor[Symbol.asyncDispose]()]);
    await cursor.close();
    await expect(cursor.poll()).rejects.toMatchObject({ code: "CURSOR_CLOSED" });
  });

  it("fails with typed errors for a missing log, a from that is not a position and a bad maxEvents", async () => {
    const path = join(testdir(), "missing.jsonl");
    await expect(openLogCursor(path)).rejects.toMatchObject({ code: "ENOENT", path });
    await expect(openLogCursor(path, { from: "end" })).rejects.toMatchObject({ code: "ENOENT" });
    await expect(openLogCursor(path, { from: { file: {}, offset: -1 } as unknown as Checkpoint })).rejects.toMatchObject({ code: "CHECKPOINT_INVALID" });
    writeFileSync(path, line(0));
    const cursor = await openLogCursor(path);
    await expect(cursor.poll({ maxEvents: 0 })).rejects.toBeInstanceOf(RangeError);
    await cursor.close();
  });
});
