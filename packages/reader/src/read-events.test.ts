import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEvent, serializeEvent, type TelemetryEvent } from "@telemetry/schema";
import { fixturePath, testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { InvalidLineError, LogNotFoundError, readEvents, type InvalidLine, type ReadOptions } from "./index.js";

async function collect(path: string, options: ReadOptions = {}): Promise<{ events: TelemetryEvent[]; invalid: InvalidLine[] }> {
  const invalid: InvalidLine[] = [];
  const events: TelemetryEvent[] = [];
  for await (const event of readEvents(path, { ...options, onInvalid: (issue) => invalid.push(issue) })) events.push(event);
  return { events, invalid };
}

const line = (n: number, run = "RUN-1"): string =>
  `${serializeEvent(createEvent({ event: "task_started", ts: "2026-02-13T10:05:23Z", run_id: run, task_id: `T-${n}`, event_id: `e-${n}` }))}\n`;

describe("readEvents on the Python reference fixtures", () => {
  it("yields exactly the 170 events of events.jsonl and reports the torn tail at line 171 with its byte offset", async () => {
    const path = fixturePath("python-reference", "events.jsonl");
    const raw = readFileSync(path);
    const tornOffset = raw.lastIndexOf(0x0a) + 1;
    const { events, invalid } = await collect(path);
    expect(events).toHaveLength(170);
    expect(events.map((e) => e.event_id)).toEqual(
      raw.subarray(0, tornOffset).toString("utf8").trim().split("\n").map((l) => (JSON.parse(l) as { event_id: string }).event_id),
    );
    expect(invalid).toEqual([
      {
        file: path,
        line: 171,
        offset: tornOffset,
        kind: "torn",
        reason: expect.stringContaining("torn last line") as string,
        excerpt: raw.subarray(tornOffset).toString("utf8"),
      },
    ]);
    expect(tornOffset).toBe(55650);
  });

  it("decodes the fixture's \\uXXXX escapes, surrogate pairs and U+2028 into the original text", async () => {
    const { events } = await collect(fixturePath("python-reference", "events.jsonl"));
    const text = events.map((e) => e.summary ?? "").join("");
    expect(text).toMatch(/[^\u0020-\u007e\n]/);
    expect(text).toMatch(/\p{Extended_Pictographic}/u);
    expect(text).toContain("\u2028");
  });

  it("reads rotated.jsonl.1 then rotated.jsonl in manifest.json's order", async () => {
    const dir = testdir();
    for (const name of ["rotated.jsonl", "rotated.jsonl.1"]) copyFileSync(fixturePath("python-reference", name), join(dir, name));
    const manifest = JSON.parse(readFileSync(fixturePath("python-reference", "manifest.json"), "utf8")) as { "rotated.jsonl": { surviving_task_ids_in_order: string[] } };
    const { events, invalid } = await collect(join(dir, "rotated.jsonl"));
    expect(events.map((e) => e.task_id)).toEqual(manifest["rotated.jsonl"].surviving_task_ids_in_order);
    expect(invalid).toEqual([]);
  });
});

describe("readEvents", () => {
  it("reads path.N .. path.1 before the live file, oldest first, and ignores look-alike names", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    writeFileSync(`${path}.10`, line(1));
    writeFileSync(`${path}.2`, line(2));
    writeFileSync(`${path}.1`, line(3));
    writeFileSync(path, line(4));
    writeFileSync(`${path}.bak`, line(99));
    writeFileSync(`${path}.1.gz`, line(98));
    writeFileSync(join(dir, "other.jsonl.1"), line(97));
    const { events } = await collect(path);
    expect(events.map((e) => e.task_id)).toEqual(["T-1", "T-2", "T-3", "T-4"]);
  });

  it("reads only the live file with rotated: false", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    writeFileSync(`${path}.1`, line(1));
    writeFileSync(path, line(2));
    const { events } = await collect(path, { rotated: false });
    expect(events.map((e) => e.task_id)).toEqual(["T-2"]);
  });

  it("reports line numbers and offsets per file", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    writeFileSync(`${path}.1`, `${line(1)}{bad\n`);
    writeFileSync(path, `oops\n${line(2)}`);
    const { invalid } = await collect(path);
    expect(invalid.map((i) => [i.file, i.line, i.offset, i.kind])).toEqual([
      [`${path}.1`, 2, Buffer.byteLength(line(1)), "json"],
      [path, 1, 0, "json"],
    ]);
  });

  it("throws an InvalidLineError at the first invalid line in strict mode, after the events before it", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    writeFileSync(path, `${line(1)}{"event":"task_started"}\n${line(2)}`);
    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const event of readEvents(path, { strict: true })) seen.push(event.task_id!);
    } catch (error) {
      caught = error;
    }
    expect(seen).toEqual(["T-1"]);
    expect(caught).toBeInstanceOf(InvalidLineError);
    const error = caught as InvalidLineError;
    expect(error.code).toBe("INVALID_LINE");
    expect(error).toMatchObject({ file: path, line: 2, offset: Buffer.byteLength(line(1)), kind: "schema", excerpt: '{"event":"task_started"}' });
    expect(error.message).toBe(`${path}:2:${Buffer.byteLength(line(1))} ${error.reason}`);
  });

  it("throws for a torn tail in strict mode", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    writeFileSync(path, `${line(1)}{"event":"ta`);
    await expect(async () => {
      for await (const _ of readEvents(path, { strict: true })) void _;
    }).rejects.toMatchObject({ code: "INVALID_LINE", kind: "torn", line: 2 });
  });

  it("honours maxLineBytes", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    writeFileSync(path, `${line(1)}${"z".repeat(3_000_000)}\n${line(2)}`);
    const { events, invalid } = await collect(path, { maxLineBytes: 2_000_000 });
    expect(events.map((e) => e.task_id)).toEqual(["T-1", "T-2"]);
    expect(invalid).toEqual([expect.objectContaining({ line: 2, kind: "too_long" })]);
  });

  it("throws a LogNotFoundError with code ENOENT and the OS error as cause when there is no log", async () => {
    const path = join(testdir(), "missing.jsonl");
    await expect(collect(path)).rejects.toSatisfy((error: unknown) => {
      expect(error).toBeInstanceOf(LogNotFoundError);
      expect(error).toMatchObject({ code: "ENOENT", path, cause: { code: "ENOENT" } });
      expect((error as Error).message).toContain(path);
      return true;
    });
  });

  it("reads the rotated files when the live file does not exist yet (just rotated)", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    writeFileSync(`${path}.1`, line(1));
    const { events } = await collect(path);
    expect(events.map((e) => e.task_id)).toEqual(["T-1"]);
  });

  it("reads an empty file as no events", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, "");
    expect(await collect(path)).toEqual({ events: [], invalid: [] });
  });

  it("reads lines that span its internal read chunks", async () => {
    const path = join(testdir(), "events.jsonl");
    const lines = Array.from({ length: 12_000 }, (_, i) => line(i));
    writeFileSync(path, lines.join(""));
    const { events, invalid } = await collect(path);
    expect(invalid).toEqual([]);
    expect(events.map((e) => e.task_id)).toEqual(lines.map((_, i) => `T-${i}`));
  });

  it("closes its files when the loop is left early, and after a strict-mode error", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    writeFileSync(`${path}.1`, line(1));
    writeFileSync(path, `${line(2)}{bad\n`);
    const openFds = (): number => readdirSync("/proc/self/fd").length;
    const before = openFds();
    for await (const event of readEvents(path)) {
      expect(event.task_id).toBe("T-1");
      expect(openFds()).toBe(before + 2);
      break;
    }
    expect(openFds()).toBe(before);
    await expect(collect(path, { strict: true })).rejects.toBeInstanceOf(InvalidLineError);
    expect(openFds()).toBe(before);
  });

  it("serves overlapping next() calls in order, each event once", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, Array.from({ length: 50 }, (_, i) => line(i)).join(""));
    const reader = readEvents(path);
    const results = await Promise.all(Array.from({ length: 52 }, () => reader.next()));
    expect(results.flatMap((r) => (r.done ? [] : [r.value.task_id]))).toEqual(Array.from({ length: 50 }, (_, i) => `T-${i}`));
    expect(results.slice(50).every((r) => r.done)).toBe(true);
  });
});
