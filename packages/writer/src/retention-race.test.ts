// The one race a stat before each batch cannot close: another process rotates
// twice (deleting our file by retention) between our inode check and our
// write. The check is made to see the old inode once, as it would in that race.
import * as fs from "node:fs";
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it, vi } from "vitest";
import { openEventWriter } from "./open-event-writer.js";
import { readLog } from "./log-lines.fixture.js";

let staleStats: fs.Stats | undefined;
vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  const lstatSync = ((...args: Parameters<typeof actual.lstatSync>) => {
    const stale = staleStats;
    staleStats = undefined;
    return stale ?? actual.lstatSync(...args);
  }) as typeof actual.lstatSync;
  return { ...actual, lstatSync };
});

describe("retention racing a write", () => {
  it("rewrites a batch to the current file when retention deleted the file it went to", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    const first = await writer.emit({ event: "task_started" });
    const oldStats = fs.statSync(path);
    // Another process rotates twice: our file is renamed, then deleted by retention, and a new one starts.
    fs.renameSync(path, `${path}.1`);
    fs.unlinkSync(`${path}.1`);
    fs.writeFileSync(path, "");
    staleStats = oldStats;
    const second = await writer.emit({ event: "task_completed" });
    await writer.close();
    expect(staleStats).toBeUndefined();
    expect(readLog(path).events).toEqual([second]);
    expect(first.event_id).not.toBe(second.event_id);
  });
});
