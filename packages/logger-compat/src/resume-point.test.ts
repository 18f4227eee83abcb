// A re-run finds where the last import stopped from the log's tail: it reads
// a bounded tail (not the whole log), still imports rows a crash lost inside
// the last unsynced writes, ignores other writers' events, and never imports
// an invocation_id twice.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { importLegacyDatabase, type ImportProgress } from "./import-legacy-database.js";
import { aRecord, legacyDatabase, linesIn } from "./records.fixture.js";
import { TelemetryLogger } from "./telemetry-logger.js";

const idsIn = (path: string): string[] => linesIn(path).map((line) => (JSON.parse(line) as { event_id: string }).event_id);
const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `inv-${from + i}`);

describe("resuming an import from the log's tail", () => {
  it("reads only the tail of a 30,000-event log to find that there is nothing left to import", { timeout: 60_000 }, async () => {
    const dir = testdir();
    const dbPath = join(dir, "telemetry.db");
    const path = join(dir, "events.jsonl");
    legacyDatabase(dbPath, 30_000);
    expect(await importLegacyDatabase({ dbPath, path, batchSize: 500 })).toEqual({ imported: 30_000, skipped: 0 });
    const progress: ImportProgress[] = [];
    expect(await importLegacyDatabase({ dbPath, path, batchSize: 500, onProgress: (p) => progress.push(p) })).toEqual({ imported: 0, skipped: 30_000 });
    // Reading reports every 10,000 events: none means fewer were read.
    expect(progress.filter((p) => p.phase === "reading-log")).toEqual([{ phase: "reading-log", done: 0, total: undefined }]);
    expect(progress.at(-1)).toEqual({ phase: "importing", done: 30_000, total: 30_000 });
    expect(idsIn(path)).toEqual(range(0, 30_000));
  });

  it("imports again the rows a crash lost inside the last writes, even when later lines survived", { timeout: 30_000 }, async () => {
    const dir = testdir();
    const dbPath = join(dir, "telemetry.db");
    const path = join(dir, "events.jsonl");
    legacyDatabase(dbPath, 5_000);
    await importLegacyDatabase({ dbPath, path, batchSize: 500 });
    // A power loss may keep the end of the last unsynced write and lose a stretch before it.
    const lines = linesIn(path);
    writeFileSync(path, [...lines.slice(0, 4_600), ...lines.slice(4_700, 4_990)].map((l) => `${l}\n`).join(""));
    expect(await importLegacyDatabase({ dbPath, path, batchSize: 500 })).toEqual({ imported: 110, skipped: 4_890 });
    expect([...idsIn(path)].sort()).toEqual(range(0, 5_000).sort());
  });

  it("finds the last imported row behind events other writers appended since", async () => {
    const dir = testdir();
    const dbPath = join(dir, "telemetry.db");
    const path = join(dir, "events.jsonl");
    legacyDatabase(dbPath, 2_000);
    const logger = await TelemetryLogger.open({ path });
    try {
      await importLegacyDatabase({ dbPath, logger, batchSize: 300 });
      for (let i = 0; i < 50; i++) await logger.logInvocation(aRecord({ invocation_id: `live-${i}` }));
      expect(await importLegacyDatabase({ dbPath, logger, batchSize: 300 })).toEqual({ imported: 0, skipped: 2_000 });
    } finally {
      await logger.close();
    }
    expect(idsIn(path)).toHaveLength(2_050);
  });

  it("imports a repeated invocation_id once (a table without the UNIQUE constraint), also when resumed", async () => {
    const dir = testdir();
    const dbPath = join(dir, "telemetry.db");
    const path = join(dir, "events.jsonl");
    legacyDatabase(dbPath, 1_000, { unique: false, duplicates: [3, 500, 999] });
    expect(await importLegacyDatabase({ dbPath, path, batchSize: 100 })).toEqual({ imported: 1_000, skipped: 3 });
    expect(await importLegacyDatabase({ dbPath, path, batchSize: 100 })).toEqual({ imported: 0, skipped: 1_003 });
    expect(idsIn(path)).toEqual(range(0, 1_000));
  });
});
