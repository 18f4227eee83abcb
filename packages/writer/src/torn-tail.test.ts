import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fixturePath, testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { openEventWriter } from "./open-event-writer.js";
import { repairTornTail } from "./torn-tail.js";
import { readLog } from "./log-lines.fixture.js";

const VALID = `${JSON.stringify({ event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: "a" })}\n`;

describe("torn-tail repair", () => {
  it("never glues a new event onto a torn last line", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, `${VALID}{"event":"task_sta`);
    const writer = await openEventWriter({ path });
    const stored = await writer.emit({ event: "task_completed" });
    await writer.close();
    const log = readLog(path);
    expect(log.fragments).toEqual([{ line: 2, text: '{"event":"task_sta' }]);
    expect(log.events.map((e) => e.event_id)).toEqual(["a", stored.event_id]);
  });

  it("starts a fresh line after a zero-filled tail left by power loss", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, Buffer.concat([Buffer.from(VALID), Buffer.alloc(4096)]));
    const writer = await openEventWriter({ path });
    const stored = await writer.emit({ event: "task_completed" });
    await writer.close();
    const log = readLog(path);
    expect(log.events.map((e) => e.event_id)).toEqual(["a", stored.event_id]);
    expect(log.fragments).toHaveLength(1);
  });

  it("keeps every byte already in the file", async () => {
    const path = join(testdir(), "events.jsonl");
    const before = `${VALID}{"torn`;
    writeFileSync(path, before);
    const writer = await openEventWriter({ path });
    await writer.emit({ event: "task_completed" });
    await writer.close();
    expect(readFileSync(path, "utf8").startsWith(`${before}\n`)).toBe(true);
  });

  it("adds nothing to a file that ends cleanly", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, VALID);
    const writer = await openEventWriter({ path });
    await writer.emit({ event: "task_completed" });
    await writer.close();
    expect(readFileSync(path, "utf8").split("\n")).toHaveLength(3);
    expect(readLog(path).fragments).toEqual([]);
  });

  it("repairs the Python reference log's torn last line before appending", async () => {
    const path = join(testdir(), "events.jsonl");
    copyFileSync(fixturePath("python-reference", "events.jsonl"), path);
    const before = readLog(path);
    expect(before.fragments).toHaveLength(1);
    const writer = await openEventWriter({ path });
    const stored = await writer.emit({ event: "task_started", run_id: "after-crash" });
    await writer.close();
    const after = readLog(path);
    expect(after.events).toHaveLength(before.events.length + 1);
    expect(after.events.at(-1)).toEqual(stored);
    expect(after.fragments).toEqual(before.fragments);
  });

  it("repairTornTail appends one newline only when needed and reports it", async () => {
    const dir = testdir();
    const torn = join(dir, "torn.jsonl");
    const clean = join(dir, "clean.jsonl");
    writeFileSync(torn, `${VALID}{"x`);
    writeFileSync(clean, VALID);
    writeFileSync(join(dir, "empty.jsonl"), "");
    expect(await repairTornTail(torn)).toBe(true);
    expect(await repairTornTail(torn)).toBe(false);
    expect(readFileSync(torn, "utf8")).toBe(`${VALID}{"x\n`);
    expect(await repairTornTail(clean)).toBe(false);
    expect(readFileSync(clean, "utf8")).toBe(VALID);
    expect(await repairTornTail(join(dir, "empty.jsonl"))).toBe(false);
    expect(await repairTornTail(join(dir, "missing.jsonl"))).toBe(false);
  });

  it("repairs a tail torn by another writer of the same file before the next open writes", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    await writer.emit({ event: "task_started" });
    await writer.close();
    appendFileSync(path, '{"event":"cost_upd');
    const again = await openEventWriter({ path });
    await again.emit({ event: "task_completed" });
    await again.close();
    expect(readLog(path).events).toHaveLength(2);
    expect(readLog(path).fragments).toHaveLength(1);
  });

  it("never glues onto a fragment that another process left while this writer stayed open", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    const first = await writer.emit({ event: "task_started" });
    // A peer killed in the middle of its write leaves a fragment behind our open writer's back.
    appendFileSync(path, '{"event":"cost_upd');
    const second = await writer.emit({ event: "task_completed" });
    await writer.close();
    const log = readLog(path);
    expect(log.events.map((e) => e.event_id)).toEqual([first.event_id, second.event_id]);
    expect(log.fragments).toEqual([{ line: 2, text: '{"event":"cost_upd' }]);
  });

  it("rotates a torn file whose repair newline is what pushes it past maxSizeBytes", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const input = { event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: "exact" } as const;
    const lineBytes = Buffer.byteLength(`${JSON.stringify(input)}\n`);
    writeFileSync(path, "frag");
    // Without the newline the line would fit exactly; with it, it does not.
    const writer = await openEventWriter({ path, maxSizeBytes: 4 + lineBytes, maxBackups: 2 });
    await writer.emit(input);
    await writer.close();
    expect(readFileSync(`${path}.1`, "utf8")).toBe("frag");
    expect(readLog(path).events.map((e) => e.event_id)).toEqual(["exact"]);
  }, 20_000);
});
