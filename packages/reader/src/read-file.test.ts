import { Buffer } from "node:buffer";
import { writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { createEvent, serializeEvent } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import type { ParsedLine } from "./chunk-parser.js";
import { FileLines } from "./read-file.js";

/** Every outcome of reading `path` through FileLines: line, offset and task id, or the report. */
async function outcomes(path: string, options: { bufferBytes: number; readAhead: boolean }): Promise<string[]> {
  const handle = await open(path);
  try {
    const lines = new FileLines(handle, { file: path, buffer: Buffer.alloc(options.bufferBytes), readAhead: options.readAhead, maxLineBytes: 4096 });
    const items: ParsedLine[] = [];
    for (;;) {
      for (let item = lines.next(); item !== undefined; item = lines.next()) items.push(item);
      if (!(await lines.read())) break;
    }
    items.push(...lines.end());
    return items.map((item) => (item.type === "event" ? `${item.line}@${item.offset}-${item.end} ${item.event.task_id}` : `${item.issue.line}@${item.issue.offset} ${item.issue.kind}`));
  } finally {
    await handle.close();
  }
}

describe("FileLines", () => {
  it("gives the same lines, offsets and reports with reads issued ahead as without, whatever the chunk size", async () => {
    const path = join(testdir(), "events.jsonl");
    const events = Array.from({ length: 300 }, (_, i) => serializeEvent(createEvent({ event: "task_started", run_id: "RUN-1", task_id: `T-${i}`, summary: "é".repeat(i % 7) })));
    // Damage among the events: bad JSON, an overlong line, and a torn tail.
    writeFileSync(path, `${events.slice(0, 100).join("\n")}\n{bad\n${"x".repeat(5000)}\n${events.slice(100).join("\n")}\n{"torn`);
    const expected = await outcomes(path, { bufferBytes: 1 << 20, readAhead: false });
    expect(expected).toHaveLength(303);
    for (const bufferBytes of [7, 100, 4096, 1 << 20]) {
      expect(await outcomes(path, { bufferBytes, readAhead: true })).toEqual(expected);
    }
  });
});
