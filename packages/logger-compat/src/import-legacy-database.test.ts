import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { fixturePath, testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import type { DailyCostRow } from "./daily-costs.js";
import { checkLegacyDatabase, importLegacyDatabase, LegacyRowError, type ImportProgress } from "./import-legacy-database.js";
import { instantKey } from "./instant.js";
import type { InvocationRow } from "./invocation-record.js";
import { NotLegacyDatabaseError } from "./errors.js";
import { TelemetryLogger } from "./telemetry-logger.js";
import { linesIn } from "./records.fixture.js";

const DB = fixturePath("legacy", "telemetry.db");
const expected = JSON.parse(readFileSync(fixturePath("legacy", "expected.json"), "utf8")) as Record<string, unknown>;
// After the newest fixture row (2026-01-26), so days=100000 covers everything, as when the oracle ran.
const NOW = new Date("2026-02-01T00:00:00Z");


type LegacyInvocation = InvocationRow & { id: number };
type Stats = Record<string, number>;

/** Each Python call in expected.json, as the same question to the compat logger. */
const CALLS: Record<string, (logger: TelemetryLogger) => Promise<unknown>> = {
  "get_daily_costs()": (l) => l.getDailyCosts(),
  "get_daily_costs(agent_name='agent-a')": (l) => l.getDailyCosts({ agentName: "agent-a" }),
  "get_daily_costs(start_date='2026-01-10', end_date='2026-01-15')": (l) => l.getDailyCosts({ startDate: "2026-01-10", endDate: "2026-01-15" }),
  "get_invocations(limit=100000)": (l) => l.getInvocations({ limit: 100000 }),
  "get_invocations(status='error', limit=5)": (l) => l.getInvocations({ status: "error", limit: 5 }),
  "get_invocations(tool_name='cursor', agent_name='agent-b', limit=100000)": (l) => l.getInvocations({ toolName: "cursor", agentName: "agent-b", limit: 100000 }),
  "get_invocations(start_date='2026-01-10', end_date='2026-01-12', limit=100000)": (l) =>
    l.getInvocations({ startDate: "2026-01-10", endDate: "2026-01-12", limit: 100000 }),
  "get_statistics(days=100000)": (l) => l.getStatistics({ days: 100000 }),
  "get_statistics(agent_name='agent-b', days=100000)": (l) => l.getStatistics({ agentName: "agent-b", days: 100000 }),
};

async function importedLogger(dir: string): Promise<TelemetryLogger> {
  const logger = await TelemetryLogger.open({ path: join(dir, "events.jsonl"), now: () => NOW });
  await importLegacyDatabase({ dbPath: DB, logger });
  return logger;
}

function expectSameInvocations(ours: readonly InvocationRow[], legacy: readonly LegacyInvocation[]): void {
  expect(ours).toHaveLength(legacy.length);
  ours.forEach((row, i) => {
    // `id` is the legacy SQLite row id: it has no meaning outside that database and is not reproduced.
    const { id: _id, timestamp, ...fields } = legacy[i]!;
    expect(row).not.toHaveProperty("id");
    expect(instantKey(row.timestamp)).toBe(instantKey(`${timestamp}Z`));
    for (const [key, value] of Object.entries(fields)) {
      if (typeof value === "number") expect(row[key as keyof InvocationRow], key).toBeCloseTo(value, 9);
      else expect(row[key as keyof InvocationRow], key).toEqual(value);
    }
  });
}

function expectSameStatistics(ours: Stats, legacy: Stats): void {
  expect(Object.keys(ours).sort()).toEqual(Object.keys(legacy).sort());
  for (const [key, value] of Object.entries(legacy)) expect(ours[key], key).toBeCloseTo(value, 9);
}

const groupKey = (r: DailyCostRow): string => JSON.stringify([r.date, r.agent_name, r.tool_name, r.model_name]);

/** Legacy rows with the documented fix applied: NULL-agent rows of one date, tool and model summed into one. */
function mergeNullAgents(rows: readonly DailyCostRow[]): Map<string, DailyCostRow> {
  const merged = new Map<string, DailyCostRow>();
  for (const row of rows) {
    const prior = merged.get(groupKey(row));
    if (prior !== undefined && row.agent_name !== null) throw new Error(`legacy repeated a non-null group ${groupKey(row)}`);
    merged.set(
      groupKey(row),
      prior === undefined
        ? row
        : { ...prior, invocations: prior.invocations + row.invocations, total_tokens: prior.total_tokens + row.total_tokens, total_cost_usd: prior.total_cost_usd + row.total_cost_usd },
    );
  }
  return merged;
}

function expectSameDailyCosts(ours: readonly DailyCostRow[], legacy: readonly DailyCostRow[]): void {
  // Newest date first, as the legacy query; within a date the legacy order followed its SQLite row ids, which an import cannot carry.
  const dates = ours.map((r) => r.date);
  expect(dates).toEqual([...dates].sort().reverse());
  expect([...new Set(dates)]).toEqual([...new Set(legacy.map((r) => r.date))]);
  const want = mergeNullAgents(legacy);
  expect(ours).toHaveLength(want.size);
  for (const row of ours) {
    const other = want.get(groupKey(row));
    expect(other, groupKey(row)).toBeDefined();
    expect(row.invocations).toBe(other!.invocations);
    expect(row.total_tokens).toBe(other!.total_tokens);
    expect(row.total_cost_usd).toBeCloseTo(other!.total_cost_usd, 9);
  }
}

describe("importLegacyDatabase", () => {
  it("has a compat question for every call in expected.json", () => {
    expect(Object.keys(CALLS).sort()).toEqual(Object.keys(expected).sort());
  });

  it("answers every legacy call in expected.json with the legacy rows (NULL-agent daily rows merged)", async () => {
    const logger = await importedLogger(testdir());
    try {
      for (const [call, ask] of Object.entries(CALLS)) {
        const ours = await ask(logger);
        const legacy = expected[call];
        if (call.startsWith("get_invocations")) expectSameInvocations(ours as InvocationRow[], legacy as LegacyInvocation[]);
        else if (call.startsWith("get_statistics")) expectSameStatistics(ours as Stats, legacy as Stats);
        else expectSameDailyCosts(ours as DailyCostRow[], legacy as DailyCostRow[]);
      }
    } finally {
      await logger.close();
    }
  });

  it("merges daily rows without an agent that the legacy table kept apart, and their sums match", async () => {
    const logger = await importedLogger(testdir());
    try {
      const legacy = expected["get_daily_costs()"] as DailyCostRow[];
      const ours = await logger.getDailyCosts();
      const legacyNull = legacy.filter((r) => r.agent_name === null);
      const oursNull = ours.filter((r) => r.agent_name === null);
      // The fixture has the quirk: more legacy NULL rows than distinct (date, tool, model) groups.
      expect(new Set(legacyNull.map(groupKey)).size).toBeLessThan(legacyNull.length);
      expect(oursNull).toHaveLength(new Set(legacyNull.map(groupKey)).size);
      expect(ours).toHaveLength(legacy.length - (legacyNull.length - oursNull.length));
      const sum = (rows: DailyCostRow[], f: (r: DailyCostRow) => number): number => rows.reduce((n, r) => n + f(r), 0);
      expect(sum(oursNull, (r) => r.invocations)).toBe(sum(legacyNull, (r) => r.invocations));
      expect(sum(oursNull, (r) => r.total_tokens)).toBe(sum(legacyNull, (r) => r.total_tokens));
      expect(sum(oursNull, (r) => r.total_cost_usd)).toBeCloseTo(sum(legacyNull, (r) => r.total_cost_usd), 9);
      const merged = oursNull.find((r) => r.invocations > 1)!;
      expect(legacyNull.filter((r) => groupKey(r) === groupKey(merged))).toHaveLength(merged.invocations);
    } finally {
      await logger.close();
    }
  });

  it("agrees with the legacy SQL for a 7-day statistics window under a pinned clock", async () => {
    const now = new Date("2026-01-20T06:30:00Z");
    const dir = testdir();
    const logger = await TelemetryLogger.open({ path: join(dir, "events.jsonl"), now: () => now });
    await importLegacyDatabase({ dbPath: DB, logger });
    const db = new Database(DB, { readonly: true });
    try {
      const cutoff = new Date(now.getTime() - 7 * 86_400_000).toISOString().slice(0, 23).replace("Z", "");
      const sql = db
        .prepare(
          `SELECT COUNT(*) AS total_invocations, COALESCE(SUM(cost_usd), 0) AS total_cost_usd, COALESCE(SUM(total_tokens), 0) AS total_tokens,
             COALESCE(AVG(status = 'success'), 0) AS success_rate, COALESCE(AVG(latency_ms), 0) AS avg_latency_ms,
             COALESCE(SUM(status = 'error'), 0) AS error_count
           FROM invocations WHERE timestamp >= ?`,
        )
        .get(cutoff) as Stats;
      expect(sql.total_invocations).toBeGreaterThan(0);
      expect(sql.total_invocations).toBeLessThan(120);
      expectSameStatistics({ ...(await logger.getStatistics()) }, sql);
    } finally {
      db.close();
      await logger.close();
    }
  });

  it("appends the rows in timestamp order, one cost_update line each, and reports progress", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const logger = await TelemetryLogger.open({ path });
    const progress: ImportProgress[] = [];
    const result = await importLegacyDatabase({ dbPath: DB, logger, onProgress: (p) => progress.push(p), batchSize: 50 });
    await logger.close();
    expect(result).toEqual({ imported: 120, skipped: 0 });
    expect(progress).toEqual([
      { phase: "reading-log", done: 0, total: undefined },
      { phase: "importing", done: 0, total: 120 },
      { phase: "importing", done: 50, total: 120 },
      { phase: "importing", done: 100, total: 120 },
      { phase: "importing", done: 120, total: 120 },
    ]);
    const events = readFileSync(path, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as { event: string; ts: string });
    expect(events).toHaveLength(120);
    expect(events.every((e) => e.event === "cost_update")).toBe(true);
    const keys = events.map((e) => instantKey(e.ts));
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });

  it("imports nothing the second time, even from a freshly opened logger", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const first = await TelemetryLogger.open({ path });
    expect(await importLegacyDatabase({ dbPath: DB, logger: first })).toEqual({ imported: 120, skipped: 0 });
    expect(await importLegacyDatabase({ dbPath: DB, logger: first })).toEqual({ imported: 0, skipped: 120 });
    await first.close();
    const again = await TelemetryLogger.open({ path });
    expect(await importLegacyDatabase({ dbPath: DB, logger: again })).toEqual({ imported: 0, skipped: 120 });
    await again.close();
    expect(linesIn(path)).toHaveLength(120);
  });

  it("rejects a file that is not a database and writes nothing", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const notDb = join(dir, "notes.db");
    writeFileSync(notDb, "these are not the tables you are looking for\n".repeat(200));
    const logger = await TelemetryLogger.open({ path });
    try {
      const error = await importLegacyDatabase({ dbPath: notDb, logger }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotLegacyDatabaseError);
      expect((error as NotLegacyDatabaseError).code).toBe("NOT_LEGACY_DATABASE");
      expect((error as Error).message).toContain(notDb);
      expect(((error as Error).cause as { code: string }).code).toBe("SQLITE_NOTADB");
      expect(logger.size).toBe(0);
    } finally {
      await logger.close();
    }
    expect(linesIn(path)).toEqual([]);
  });

  it("rejects a database without the invocations table, and a missing file, writing nothing", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const other = join(dir, "other.db");
    const db = new Database(other);
    db.exec("CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO runs (name) VALUES ('x');");
    db.close();
    const logger = await TelemetryLogger.open({ path });
    try {
      await expect(importLegacyDatabase({ dbPath: other, logger })).rejects.toThrow(/has no `invocations` table/);
      await expect(importLegacyDatabase({ dbPath: join(dir, "missing.db"), logger })).rejects.toBeInstanceOf(NotLegacyDatabaseError);
    } finally {
      await logger.close();
    }
    expect(linesIn(path)).toEqual([]);
  });

  it("stops at an invalid row with the rows before it imported, and a re-run after the fix imports the rest exactly once", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const copy = join(dir, "bad.db");
    writeFileSync(copy, readFileSync(DB));
    const db = new Database(copy);
    db.prepare("UPDATE invocations SET status = 'exploded' WHERE id = 42").run();
    const before = (db.prepare("SELECT COUNT(*) AS n FROM invocations WHERE (timestamp, id) < (SELECT timestamp, id FROM invocations WHERE id = 42)").get() as { n: number }).n;
    db.close();
    const error = await importLegacyDatabase({ dbPath: copy, path, batchSize: 7 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LegacyRowError);
    expect(error).toMatchObject({ code: "LEGACY_ROW_INVALID", rowId: 42, issues: [{ path: "status" }] });
    expect((error as Error).message).toMatch(/import again: rows already in the log are skipped/);
    expect(linesIn(path)).toHaveLength(before);

    const fixed = new Database(copy);
    fixed.prepare("UPDATE invocations SET status = 'error' WHERE id = 42").run();
    fixed.close();
    expect(await importLegacyDatabase({ dbPath: copy, path })).toEqual({ imported: 120 - before, skipped: before });
    const ids = linesIn(path).map((l) => (JSON.parse(l) as { event_id: string }).event_id);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
  });

  it("stops at a row whose timestamp is not a real calendar date (2026-02-30), naming the row", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const copy = join(dir, "bad-date.db");
    writeFileSync(copy, readFileSync(DB));
    const db = new Database(copy);
    db.prepare("UPDATE invocations SET timestamp = '2026-02-30 10:00:00' WHERE id = 7").run();
    db.close();
    const error = await importLegacyDatabase({ dbPath: copy, path }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "LEGACY_ROW_INVALID", rowId: 7, issues: [{ path: "timestamp" }] });
    expect((error as Error).message).toContain(copy);
  });

  it("names the path and the OS code for a directory and a missing file, and creates no log", async () => {
    const dir = testdir();
    const path = join(dir, "logs", "events.jsonl");
    const directory = await importLegacyDatabase({ dbPath: dir, path }).catch((e: unknown) => e);
    expect(directory).toBeInstanceOf(NotLegacyDatabaseError);
    expect((directory as Error).message).toBe(`${dir} is not a legacy telemetry database: it is a directory (EISDIR) (nothing was imported)`);
    expect((directory as Error).cause).toMatchObject({ code: "EISDIR", path: dir });
    const missing = join(dir, "missing.db");
    const absent = await importLegacyDatabase({ dbPath: missing, path }).catch((e: unknown) => e);
    expect((absent as Error).message).toBe(`${missing} is not a legacy telemetry database: no such file (ENOENT) (nothing was imported)`);
    expect((absent as Error).cause).toMatchObject({ code: "ENOENT" });
    expect(linesIn(path)).toEqual([]);
    expect(existsSync(join(dir, "logs"))).toBe(false);
  });

  it("checks a database without any logger: the fixture passes, a bad row and a non-database fail", async () => {
    const dir = testdir();
    await expect(checkLegacyDatabase(DB)).resolves.toEqual({ invocations: 120 });
    const copy = join(dir, "bad.db");
    writeFileSync(copy, readFileSync(DB));
    const db = new Database(copy);
    db.prepare("UPDATE invocations SET prompt_tokens = -5 WHERE id = 3").run();
    db.close();
    await expect(checkLegacyDatabase(copy)).rejects.toMatchObject({ code: "LEGACY_ROW_INVALID", rowId: 3 });
    const notDb = join(dir, "notes.db");
    writeFileSync(notDb, "not sqlite\n".repeat(100));
    await expect(checkLegacyDatabase(notDb)).rejects.toBeInstanceOf(NotLegacyDatabaseError);
  });
});
