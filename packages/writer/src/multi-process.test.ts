// Several writers, in one process and in several, appending to one path with rotation.
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { openEventWriter } from "./open-event-writer.js";
import { runChild, writeChildProgram } from "./child-process.fixture.js";
import { readRotatedLog } from "./log-lines.fixture.js";
import type { TelemetryEvent } from "@telemetry/schema";

const APPENDER = `
const { openEventWriter } = await import(WRITER_ENTRY);
const [path, tag, count, maxSizeBytes, maxBackups] = process.argv.slice(2);
const writer = await openEventWriter({ path, maxSizeBytes: Number(maxSizeBytes), maxBackups: Number(maxBackups) });
let next = 0;
async function producer() {
  while (next < Number(count)) {
    const seq = next++;
    await writer.emit({ event: "execution_start", event_id: tag + "-" + seq, task_id: tag, attributes: { seq } });
  }
}
await Promise.all(Array.from({ length: 10 }, producer));
await writer.close();
`;

function checkEveryEventOnceInOrder(events: readonly TelemetryEvent[], tags: readonly string[], count: number): void {
  const seen = new Set<string>();
  for (const event of events) {
    expect(seen.has(event.event_id), `duplicate ${event.event_id}`).toBe(false);
    seen.add(event.event_id);
  }
  for (const tag of tags) {
    const seqs = events.filter((e) => e.task_id === tag).map((e) => Number(e.attributes?.seq));
    // Emit-call order within a process survives rotation by other processes.
    expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i));
  }
}

describe("many writers", () => {
  it("keeps every event of 4 processes x 2,000 exactly once, in per-process order, with no corrupt line across rotations", { timeout: 120_000 }, async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const program = writeChildProgram(dir, "appender.mjs", APPENDER);
    // ~130-byte lines, 8 KiB files: about 130 rotations contended by 4 processes.
    const maxBackups = 1000;
    const tags = ["p0", "p1", "p2", "p3"];
    const results = await Promise.all(tags.map((tag) => runChild(program, [path, tag, "2000", String(8 * 1024), String(maxBackups)])));
    for (const result of results) {
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
    }
    const log = readRotatedLog(path, maxBackups);
    expect(log.fragments).toEqual([]);
    expect(log.events).toHaveLength(8000);
    checkEveryEventOnceInOrder(log.events, tags, 2000);
  });

  it("keeps every event of several writers of one path in one process", async () => {
    const path = join(testdir(), "events.jsonl");
    const writers = await Promise.all([0, 1, 2].map(() => openEventWriter({ path, maxSizeBytes: 4096, maxBackups: 500 })));
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let seq = 0; seq < 300; seq++) void writer.emit({ event: "task_started", event_id: `w${w}-${seq}`, task_id: `w${w}`, attributes: { seq } });
        await writer.close();
      }),
    );
    const log = readRotatedLog(path, 500);
    expect(log.fragments).toEqual([]);
    expect(log.events).toHaveLength(900);
    checkEveryEventOnceInOrder(log.events, ["w0", "w1", "w2"], 300);
  });
});
