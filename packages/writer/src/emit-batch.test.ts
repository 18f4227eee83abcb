// Bulk appends (an import): a batch of events is validated whole before any
// of it is written, lands in order with one write and one fdatasync, and
// still rotates within maxSizeBytes.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { EventValidationError, type EventInput } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { openEventWriter, writerStats } from "./open-event-writer.js";

const inputs = (count: number, from = 0): EventInput[] =>
  Array.from({ length: count }, (_, i) => ({ event: "cost_update", event_id: `inv-${from + i}`, metrics: { cost_usd: 0.01 } }));

function ids(path: string): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .slice(0, -1)
    .map((line) => (JSON.parse(line) as { event_id: string }).event_id);
}

describe("emitBatch", () => {
  it("stores a batch in order with one write and one fdatasync, and resolves with its size", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, durability: "fsync" });
    const before = writerStats(writer);
    expect(await writer.emitBatch(inputs(500))).toBe(500);
    const after = writerStats(writer);
    expect(after.batches - before.batches).toBe(1);
    expect(after.syncs - before.syncs).toBe(1);
    expect(await writer.emitBatch(inputs(3, 500))).toBe(3);
    await writer.close();
    expect(ids(path)).toEqual(Array.from({ length: 503 }, (_, i) => `inv-${i}`));
  });

  it("throws at the call for a batch with one invalid event, naming the bad field, and writes nothing of it", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    const batch = inputs(10);
    batch[7] = { event: "cost_update", metrics: { cost_usd: -1 } };
    let error: unknown;
    try {
      void writer.emitBatch(batch);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).issues[0]?.path).toBe("metrics.cost_usd");
    await writer.close();
    expect(readFileSync(path, "utf8")).toBe("");
  });

  it("resolves with 0 for an empty batch and throws WRITER_CLOSED after close", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    expect(await writer.emitBatch([])).toBe(0);
    await writer.close();
    expect(() => writer.emitBatch(inputs(1))).toThrow(expect.objectContaining({ code: "WRITER_CLOSED" }));
  });

  it("never lets a file pass maxSizeBytes: a batch larger than a file is split across rotations", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const writer = await openEventWriter({ path, maxSizeBytes: 4096, maxBackups: 100 });
    for (let i = 0; i < 5; i++) await writer.emitBatch(inputs(100, i * 100));
    await writer.close();
    const files = readdirSync(dir).filter((f) => f.startsWith("events.jsonl"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(statSync(join(dir, file)).size).toBeLessThanOrEqual(4096);
    const rotated = files.filter((f) => f !== "events.jsonl").sort((a, b) => Number(b.split(".").pop()) - Number(a.split(".").pop()));
    const all = [...rotated, "events.jsonl"].flatMap((f) => ids(join(dir, f)));
    expect(all).toEqual(Array.from({ length: 500 }, (_, i) => `inv-${i}`));
  });

  it("writes each batch's own bytes, nothing of an earlier larger batch, and the same lines emit would write", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const writer = await openEventWriter({ path, durability: "fsync" });
    // Wire order or not, ts and event_id given or not: the line is the one emit writes.
    const variants = (i: number): EventInput[] => [
      { event: "cost_update", ts: "2026-01-01T00:00:00Z", agent_role: "a\u2028", metrics: { model: "m", cost_usd: i }, attributes: { n: i }, event_id: `b-${i}` },
      { event_id: `b-${i}-x`, summary: "s\u0085", event: "task_started", ts: "2026-01-01T00:00:00+02:00" },
    ];
    const sizes = [4000, 1500, 10, 2, 700];
    const expected: string[] = [];
    let n = 0;
    for (const size of sizes) {
      const batch = Array.from({ length: size }, () => variants(n++)).flat();
      await writer.emitBatch(batch);
      expected.push(...batch.map((input) => JSON.stringify(input)));
    }
    await writer.close();
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(expected.length);
    const viaEmit = join(dir, "emit.jsonl");
    const reference = await openEventWriter({ path: viaEmit, durability: "write" });
    for (const line of expected) await reference.emit(JSON.parse(line) as EventInput);
    await reference.close();
    expect(readFileSync(path, "utf8")).toBe(readFileSync(viaEmit, "utf8"));
  });
});
