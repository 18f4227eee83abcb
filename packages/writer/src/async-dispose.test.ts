// `await using writer = await openEventWriter(...)` closes the writer when the
// block ends, also when it ends by an exception.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { openEventWriter, type EventWriter } from "./open-event-writer.js";

describe("Symbol.asyncDispose", () => {
  it("await using closes the writer (flushed, closed) at the end of the block", async () => {
    const path = join(testdir(), "events.jsonl");
    let escaped: EventWriter | undefined;
    {
      await using writer = await openEventWriter({ path, durability: "write" });
      writer.record({ event: "task_started", run_id: "disposed" });
      escaped = writer;
      expect(writer.closed).toBe(false);
    }
    expect(escaped.closed).toBe(true);
    expect(readFileSync(path, "utf8")).toContain('"run_id":"disposed"');
    await expect(escaped.emit({ event: "task_started" })).rejects.toMatchObject({ code: "WRITER_CLOSED" });
  });

  it("await using closes the writer when the block throws", async () => {
    const path = join(testdir(), "events.jsonl");
    let escaped: EventWriter | undefined;
    await expect(
      (async () => {
        await using writer = await openEventWriter({ path });
        escaped = writer;
        writer.record({ event: "task_failed", run_id: "thrown" });
        throw new Error("the block failed");
      })(),
    ).rejects.toThrow("the block failed");
    expect(escaped?.closed).toBe(true);
    expect(readFileSync(path, "utf8")).toContain('"run_id":"thrown"');
  });

  it("is the same as close(): children dispose themselves only", async () => {
    const writer = await openEventWriter({ path: join(testdir(), "events.jsonl") });
    const child = writer.child({ run_id: "C" });
    await child[Symbol.asyncDispose]();
    expect([child.closed, writer.closed]).toEqual([true, false]);
    await writer[Symbol.asyncDispose]();
    expect(writer.closed).toBe(true);
  });
});
