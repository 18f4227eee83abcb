// A real full disk: a size-limited tmpfs (needs root to mount; skipped with the reason otherwise).
import { writeFileSync, unlinkSync, statfsSync } from "node:fs";
import { join } from "node:path";
import { withTmpfs } from "@telemetry/test-utils";
import { describe, expect, it, onTestFinished } from "vitest";
import { WriterError } from "./errors.js";
import { openEventWriter } from "./open-event-writer.js";
import { readLog } from "./log-lines.fixture.js";

describe("disk full", () => {
  it("rejects with ENOSPC, keeps the file readable, and succeeds again once space is freed", { timeout: 60_000 }, async (context) => {
    const tmpfs = withTmpfs(64 * 1024);
    if (typeof tmpfs === "string") {
      context.skip(tmpfs);
      return;
    }
    onTestFinished(() => tmpfs.unmount());
    const path = join(tmpfs.dir, "events.jsonl");
    const writer = await openEventWriter({ path });
    // Fill most of the disk with a file we can delete later.
    const filler = join(tmpfs.dir, "filler");
    const free = statfsSync(tmpfs.dir).bavail * statfsSync(tmpfs.dir).bsize;
    writeFileSync(filler, Buffer.alloc(free - 8192));

    const stored: string[] = [];
    let failure: unknown;
    for (let round = 0; round < 200 && failure === undefined; round++) {
      // Concurrent emits so a batch straddles the end of the disk.
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => writer.emit({ event: "task_started", summary: "y".repeat(300) })));
      for (const r of results) {
        if (r.status === "fulfilled") stored.push(r.value.event_id);
        else failure ??= r.reason;
      }
    }
    expect(failure).toBeInstanceOf(WriterError);
    expect((failure as WriterError).code).toBe("ENOSPC");
    expect((failure as WriterError).cause).toMatchObject({ code: "ENOSPC" });
    expect((failure as WriterError).message).toContain(path);

    const full = readLog(path);
    expect(full.fragments.length).toBeLessThanOrEqual(1);
    for (const id of stored) expect(full.events.some((e) => e.event_id === id)).toBe(true);

    unlinkSync(filler);
    const after = await writer.emit({ event: "task_completed", run_id: "after-space-freed" });
    await writer.close();
    const log = readLog(path);
    expect(log.fragments.length).toBeLessThanOrEqual(1);
    expect(log.endsWithNewline).toBe(true);
    expect(log.events.at(-1)).toEqual(after);
    for (const id of stored) expect(log.events.filter((e) => e.event_id === id)).toHaveLength(1);
  });
});
