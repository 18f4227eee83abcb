// @telemetry/logger-compat: the legacy dashboard questions (daily costs,
// statistics, latest invocations) answered from the event log's in-memory
// index, beside the same questions as SQL on the legacy SQLite schema holding
// the same rows. The log is written as serialized lines straight into the
// file (not through durable emits: write throughput is the writer bench's
// subject, and a million fsync'd emits would dominate the run).
import { execFileSync } from "node:child_process";
import { closeSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { invocationToEvent, TelemetryLogger, validateInvocationRecord, type InvocationRow } from "@telemetry/logger-compat";
import { seededRandom } from "@telemetry/cli/seeded-random";
import { readEvents } from "@telemetry/reader";
import { serializeEvent } from "@telemetry/schema";
import type { BenchArea, BenchGoal, BenchRow } from "./report.js";
import { PEAK_RSS_KB_SOURCE } from "./peak-rss.js";

const LEGACY_FIXTURE = fileURLToPath(new URL("../../fixtures/legacy/telemetry.db", import.meta.url));
const MS_PER_DAY = 86_400_000;
// The data ends just before NOW; both sides are asked relative to it.
const NOW = new Date("2026-01-26T00:00:00Z");
const SPAN_DAYS = 365;

const AGENTS = ["agent-a", "agent-b", "backend-dev", "frontend-dev", null] as const;
const TOOLS = ["claude-code", "cursor", "codex"] as const;
const MODELS = ["claude-3.5-sonnet", "gpt-4o-mini", "gpt-4-turbo"] as const;

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffff`, the naive UTC form the legacy logger stored. */
function legacyTimestamp(ms: number, micros: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}.${String((ms % 1000) * 1000 + micros).padStart(6, "0")}`;
}

/** Rows in time order over SPAN_DAYS before NOW, as a live logger appends them. */
function* invocations(count: number): Generator<InvocationRow> {
  const rng = seededRandom(7);
  const start = NOW.getTime() - SPAN_DAYS * MS_PER_DAY;
  const step = (SPAN_DAYS * MS_PER_DAY) / count;
  for (let i = 0; i < count; i++) {
    const ms = Math.floor(start + i * step);
    const prompt = Math.floor(rng() * 5000);
    const completion = Math.floor(rng() * 3000);
    const r = rng();
    const status = r < 0.8 ? "success" : r < 0.93 ? "error" : "timeout";
    yield {
      invocation_id: `inv-${i.toString(36)}`,
      timestamp: legacyTimestamp(ms, Math.floor(rng() * 1000)),
      agent_name: pick(rng, AGENTS),
      tool_name: pick(rng, TOOLS),
      model_name: pick(rng, MODELS),
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      cost_usd: Math.round((prompt * 3 + completion * 15) / 1000) / 1000,
      latency_ms: Math.floor(rng() * 20000),
      status,
      error_message: status === "success" ? null : status === "error" ? 'HTTP 500: "overloaded"' : "rate limited",
      privacy_level: "metadata",
    };
  }
}

const VALIDATE = { privacyLevel: "metadata", now: () => new Date(0) } as const;

function writeLog(path: string, count: number): void {
  const fd = openSync(path, "w", 0o600);
  try {
    let chunk = "";
    for (const row of invocations(count)) {
      // Events exactly as logInvocation writes them: validated, naive legacy time read as UTC, wire field order.
      const event = invocationToEvent(validateInvocationRecord(row, VALIDATE));
      chunk += `${serializeEvent(event)}\n`;
      if (chunk.length > 4_000_000) {
        writeSync(fd, chunk);
        chunk = "";
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/** The legacy schema, copied from the fixture's sqlite_master; rows inserted as the legacy logger kept them. */
function writeLegacyDatabase(path: string, count: number): Database.Database {
  const fixture = new Database(LEGACY_FIXTURE, { readonly: true, fileMustExist: true });
  const ddl = (fixture.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid").all() as { sql: string }[]).map(
    (r) => r.sql,
  );
  fixture.close();
  const db = new Database(path);
  for (const sql of ddl) db.exec(sql);
  const insert = db.prepare(
    `INSERT INTO invocations (invocation_id, timestamp, agent_name, tool_name, model_name, prompt_tokens, completion_tokens, total_tokens, cost_usd, latency_ms, status, error_message, privacy_level)
     VALUES (@invocation_id, @timestamp, @agent_name, @tool_name, @model_name, @prompt_tokens, @completion_tokens, @total_tokens, @cost_usd, @latency_ms, @status, @error_message, @privacy_level)`,
  );
  db.transaction(() => {
    for (const row of invocations(count)) insert.run(row);
  })();
  // What the legacy per-invocation upsert left in daily_costs: one merged row per group, but one row per NULL-agent invocation.
  db.exec(`
    INSERT INTO daily_costs (date, agent_name, tool_name, model_name, invocations, total_tokens, total_cost_usd)
      SELECT date(timestamp), agent_name, tool_name, model_name, COUNT(*), SUM(total_tokens), SUM(cost_usd)
      FROM invocations WHERE agent_name IS NOT NULL GROUP BY date(timestamp), agent_name, tool_name, model_name;
    INSERT INTO daily_costs (date, agent_name, tool_name, model_name, invocations, total_tokens, total_cost_usd)
      SELECT date(timestamp), NULL, tool_name, model_name, 1, total_tokens, cost_usd FROM invocations WHERE agent_name IS NULL;
    ANALYZE;`);
  return db;
}

/** Median latency in ms of `fn`, after one warm-up call; repeats until `budgetMs` is spent (at least `min` runs). */
async function medianMs(fn: () => unknown, budgetMs: number, min = 5, max = 200): Promise<number> {
  await fn();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < min || (times.length < max && performance.now() - started < budgetMs)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function naiveCutoff(days: number): string {
  return new Date(NOW.getTime() - days * MS_PER_DAY).toISOString().slice(0, 23);
}

interface Question {
  readonly name: string;
  readonly ours: () => Promise<unknown>;
  readonly sql: () => unknown;
  /** Compares the two answers; returns a mismatch description or undefined. */
  readonly check?: (ours: unknown, sql: unknown) => string | undefined;
}

const STATS_SQL = `SELECT COUNT(*) AS total_invocations, COALESCE(SUM(cost_usd), 0) AS total_cost_usd, COALESCE(SUM(total_tokens), 0) AS total_tokens,
  COALESCE(AVG(CASE WHEN status = 'success' THEN 1.0 ELSE 0.0 END), 0) AS success_rate, COALESCE(AVG(latency_ms), 0) AS avg_latency_ms,
  SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS error_count FROM invocations WHERE timestamp >= ?`;

function sameStatistics(ours: unknown, sql: unknown): string | undefined {
  const a = ours as Record<string, number>;
  const b = sql as Record<string, number>;
  for (const key of Object.keys(b)) {
    const x = a[key] ?? Number.NaN;
    const y = b[key] ?? 0;
    if (!(Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(y)))) return `${key}: ours ${x}, SQLite ${y}`;
  }
  return undefined;
}

/** Daily rows differ in count (NULL-agent rows are merged on our side) but must account for the same invocations, tokens and cost. */
function sameDailyTotals(ours: unknown, sql: unknown): string | undefined {
  const total = (rows: unknown) =>
    (rows as { invocations: number; total_tokens: number; total_cost_usd: number }[]).reduce(
      (t, r) => ({ invocations: t.invocations + r.invocations, total_tokens: t.total_tokens + r.total_tokens, total_cost_usd: t.total_cost_usd + r.total_cost_usd }),
      { invocations: 0, total_tokens: 0, total_cost_usd: 0 },
    );
  return sameStatistics(total(ours), total(sql));
}

export const compatBench: BenchArea = async ({ quick, dir }) => {
  const count = quick ? 5_000 : 1_000_000;
  const budget = quick ? 50 : 2_000;
  const logPath = join(dir, "events.jsonl");
  const dbPath = join(dir, "telemetry.db");

  let t0 = performance.now();
  writeLog(logPath, count);
  const writeLogMs = performance.now() - t0;
  t0 = performance.now();
  const db = writeLegacyDatabase(dbPath, count);
  const writeDbMs = performance.now() - t0;

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  t0 = performance.now();
  const logger = await TelemetryLogger.open({ path: logPath, now: () => NOW, durability: "write" });
  const openMs = performance.now() - t0;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;

  const daily = db.prepare("SELECT * FROM daily_costs ORDER BY date DESC");
  const dailyRange = db.prepare("SELECT * FROM daily_costs WHERE date >= ? AND date <= ? ORDER BY date DESC");
  const dailyAgent = db.prepare("SELECT * FROM daily_costs WHERE agent_name = ? ORDER BY date DESC");
  const stats = db.prepare(STATS_SQL);
  const statsAgent = db.prepare(`${STATS_SQL} AND agent_name = ?`);
  const latest = db.prepare("SELECT * FROM invocations ORDER BY timestamp DESC LIMIT 100");
  const lastWeekStart = naiveCutoff(6).slice(0, 10);
  const lastDay = naiveCutoff(0).slice(0, 10);

  const questions: Question[] = [
    { name: "getDailyCosts(), all days", ours: () => logger.getDailyCosts(), sql: () => daily.all(), check: sameDailyTotals },
    {
      name: "getDailyCosts({ startDate, endDate }), 7 days",
      ours: () => logger.getDailyCosts({ startDate: lastWeekStart, endDate: lastDay }),
      sql: () => dailyRange.all(lastWeekStart, lastDay),
      check: sameDailyTotals,
    },
    { name: "getDailyCosts({ agentName })", ours: () => logger.getDailyCosts({ agentName: "agent-b" }), sql: () => dailyAgent.all("agent-b"), check: sameDailyTotals },
    { name: "getStatistics(), 7 days", ours: () => logger.getStatistics(), sql: () => stats.get(naiveCutoff(7)), check: sameStatistics },
    {
      name: "getStatistics({ agentName, days: 30 })",
      ours: () => logger.getStatistics({ agentName: "agent-b", days: 30 }),
      sql: () => statsAgent.get(naiveCutoff(30), "agent-b"),
      check: sameStatistics,
    },
    { name: "getStatistics({ days: 366 }), whole log", ours: () => logger.getStatistics({ days: 366 }), sql: () => stats.get(naiveCutoff(366)), check: sameStatistics },
    { name: "getInvocations(), newest 100", ours: () => logger.getInvocations(), sql: () => latest.all() },
  ];

  const oursDaily = (await logger.getDailyCosts()).length;
  const sqlDaily = daily.all().length;
  const rows: BenchRow[] = [];
  const mismatches: string[] = [];
  for (const q of questions) {
    const mismatch = q.check?.(await q.ours(), q.sql());
    if (mismatch !== undefined) mismatches.push(`${q.name}: ${mismatch}`);
    const ours = await medianMs(q.ours, budget);
    const sql = await medianMs(q.sql, budget);
    rows.push({ name: `${q.name} (median)`, ours, baseline: sql, baselineName: "same question in SQL on the legacy schema (better-sqlite3)", unit: "ms" });
  }
  // Dashboards keep asking while invocations keep arriving: each new invocation invalidates its day's rollup only.
  let fresh = 0;
  const afterNewInvocation = async (ask: () => Promise<unknown>): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < (quick ? 5 : 50); i++) {
      await logger.logInvocation({
        invocation_id: `fresh-${fresh++}`, agent_name: "agent-b", tool_name: "codex", model_name: "gpt-4o-mini",
        prompt_tokens: 10, completion_tokens: 10, total_tokens: 20, cost_usd: 0.001, latency_ms: 500, status: "success",
        timestamp: new Date(NOW.getTime() - 1000 + fresh),
      });
      const t = performance.now();
      await ask();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)]!;
  };
  rows.push({
    name: "getDailyCosts({ startDate, endDate }), 7 days, right after a logInvocation (median)",
    ours: await afterNewInvocation(() => logger.getDailyCosts({ startDate: lastWeekStart, endDate: lastDay })),
    baseline: await medianMs(() => dailyRange.all(lastWeekStart, lastDay), budget),
    baselineName: "same question in SQL on the legacy schema (better-sqlite3)",
    unit: "ms",
  });
  rows.push({
    name: "getStatistics(), 7 days, right after a logInvocation (median)",
    ours: await afterNewInvocation(() => logger.getStatistics()),
    baseline: await medianMs(() => stats.get(naiveCutoff(7)), budget),
    baselineName: "same question in SQL on the legacy schema (better-sqlite3)",
    unit: "ms",
  });
  await logger.close();
  db.close();

  const slower = rows.filter((r) => r.ours >= r.baseline);
  const goals: BenchGoal[] = [
    {
      description: "each legacy dashboard question is answered faster than SQLite answers it on the same data",
      met: slower.length === 0,
      detail:
        slower.length === 0
          ? `all ${rows.length} faster; slowest ratio ${Math.max(...rows.map((r) => r.ours / r.baseline)).toFixed(3)}x`
          : `slower: ${slower.map((r) => `${r.name} ${(r.ours / r.baseline).toFixed(2)}x`).join("; ")}`,
    },
    {
      description: "the compat answers equal the SQL answers (statistics; daily totals)",
      met: mismatches.length === 0,
      detail: mismatches.length === 0 ? "equal to 1e-6 relative" : mismatches.join("; "),
    },
  ];
  const mb = statSync(logPath).size / 1e6;
  return {
    title: `logger-compat: legacy queries on ${count.toLocaleString("en-US")} invocations (warm index vs SQLite)`,
    rows,
    goals,
    notes: [
      `open (index build: one validated read of the ${mb.toFixed(0)} MB log): ${(openMs / 1000).toFixed(2)} s, ${Math.round(count / (openMs / 1000)).toLocaleString("en-US")} invocations/s, heap +${((heapAfter - heapBefore) / 1e6).toFixed(0)} MB. SQLite has no equivalent step (it answers from its on-disk B-trees), so this is not a ratio.`,
      `setup, not measured against anything: log written as serialized lines (no fsync per event) in ${(writeLogMs / 1000).toFixed(1)} s; legacy database (fixture DDL, daily_costs as the legacy upsert left it) in ${(writeDbMs / 1000).toFixed(1)} s.`,
      "each figure is the median of repeated queries after one warm-up query; each compat query also checks the log for appends by other processes (one stat).",
      `getDailyCosts(), all days returns ${oursDaily.toLocaleString("en-US")} rows here and ${sqlDaily.toLocaleString("en-US")} from the legacy table, which keeps one row per invocation without an agent (the NULL-agent quirk we fix); the invocation, token and cost totals are checked equal.`,
    ],
  };
};

// ---------------------------------------------------------------------------
// `pnpm bench --only import`: `telemetry import-legacy` of a legacy database,
// run as a user runs it (the CLI in its own process, so its peak RSS is its
// own): rows/s of the first import, its peak RSS, and a re-run that imports
// nothing. Baselines from the same run: the previous design's write path
// (one logInvocation per row), the memory floor of only reading every row
// with better-sqlite3, and one validated read of the log.

const CLI_BIN = fileURLToPath(new URL("../../packages/cli/dist/bin.js", import.meta.url));

// Loaded into each measured child: reports its own peak RSS (kB) when it exits.
const PEAK_RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  `${PEAK_RSS_KB_SOURCE} import { writeFileSync } from "node:fs"; process.on("exit", () => writeFileSync(process.env.BENCH_PEAK_RSS_FILE, String(peakRssKb())));`,
)}`;

// The floor: open the database and step through every row, keeping nothing.
const READ_ONLY_CHILD = `
const { default: Database } = await import("better-sqlite3");
const db = new Database(process.argv[1], { readonly: true });
let n = 0;
for (const _row of db.prepare("SELECT * FROM invocations ORDER BY timestamp, id").iterate()) n++;
db.close();
`;

interface ChildRun {
  readonly ms: number;
  readonly peakRssMb: number;
  readonly stdout: string;
}

function runMeasured(dir: string, args: readonly string[]): ChildRun {
  const rssFile = join(dir, `peak-rss-${Math.random().toString(36).slice(2)}`);
  const t0 = performance.now();
  const stdout = execFileSync(process.execPath, ["--import", PEAK_RSS_HOOK, ...args], {
    encoding: "utf8",
    env: { ...process.env, BENCH_PEAK_RSS_FILE: rssFile },
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 20,
  });
  const ms = performance.now() - t0;
  return { ms, peakRssMb: Number(readFileSync(rssFile, "utf8")) / 1024, stdout };
}

export const legacyImportBench: BenchArea = async ({ quick, dir }) => {
  const count = quick ? 20_000 : 1_000_000;
  const baselineCount = quick ? 5_000 : 100_000;
  const dbPath = join(dir, "telemetry.db");
  const logPath = join(dir, "imported.jsonl");

  let t0 = performance.now();
  writeLegacyDatabase(dbPath, count).close();
  const writeDbMs = performance.now() - t0;

  const first = runMeasured(dir, [CLI_BIN, "import-legacy", dbPath, "--out", logPath]);
  const again = runMeasured(dir, [CLI_BIN, "import-legacy", dbPath, "--out", logPath]);
  const floor = runMeasured(dir, ["--input-type=module", "-e", READ_ONLY_CHILD, dbPath]);
  const importedLine = first.stdout.trim();
  const rerunLine = again.stdout.trim();
  let lines = 0;
  t0 = performance.now();
  for await (const _event of readEvents(logPath)) lines++;
  const readLogMs = performance.now() - t0;

  // The previous design's write path: every row through logInvocation (validated, durable), 1000 at a time.
  const oldLog = join(dir, "per-row.jsonl");
  const logger = await TelemetryLogger.open({ path: oldLog });
  const legacy = new Database(dbPath, { readonly: true });
  t0 = performance.now();
  let batch: Promise<unknown>[] = [];
  for (const row of legacy.prepare(`SELECT * FROM invocations ORDER BY timestamp, id LIMIT ${baselineCount}`).iterate() as IterableIterator<Record<string, unknown>>) {
    const { id: _id, ...record } = row;
    batch.push(logger.logInvocation(record as unknown as Parameters<TelemetryLogger["logInvocation"]>[0]));
    if (batch.length >= 1000) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  const perRowMs = performance.now() - t0;
  legacy.close();
  await logger.close();

  const rowsPerSecond = count / (first.ms / 1000);
  const perRowRate = baselineCount / (perRowMs / 1000);
  const rows: BenchRow[] = [
    { name: `import-legacy of ${count.toLocaleString("en-US")} rows, durable rows/s (whole CLI run)`, ours: rowsPerSecond, baseline: perRowRate, baselineName: `previous design: one logInvocation per row, 1000 in flight (${baselineCount.toLocaleString("en-US")} rows)`, unit: "rows/s" },
    { name: "peak RSS of the import process", ours: first.peakRssMb, baseline: floor.peakRssMb, baselineName: "a process that only reads every row with better-sqlite3", unit: "MB" },
    { name: "re-run that imports nothing, wall time", ours: again.ms / 1000, baseline: readLogMs / 1000, baselineName: "one validated read of the imported log (readEvents)", unit: "s" },
    { name: "peak RSS of the re-run", ours: again.peakRssMb, baseline: floor.peakRssMb, baselineName: "a process that only reads every row with better-sqlite3", unit: "MB" },
  ];
  const complete = lines === count && importedLine.startsWith(`imported ${count.toLocaleString("en-US")} invocations`) && rerunLine.startsWith("imported 0 invocations");
  const goals: BenchGoal[] = [
    { description: "import >= 100,000 rows/s, durable", met: rowsPerSecond >= 100_000, detail: `${Math.round(rowsPerSecond).toLocaleString("en-US")} rows/s (${(first.ms / 1000).toFixed(1)} s for ${count.toLocaleString("en-US")} rows)` },
    { description: "peak RSS < 150 MB at the benchmark size", met: Math.max(first.peakRssMb, again.peakRssMb) < 150, detail: `import ${first.peakRssMb.toFixed(0)} MB, re-run ${again.peakRssMb.toFixed(0)} MB` },
    { description: "a re-run that imports nothing takes < 5 s", met: again.ms < 5_000, detail: `${(again.ms / 1000).toFixed(2)} s` },
    { description: "every row imported once; the re-run imports nothing", met: complete, detail: `${lines.toLocaleString("en-US")} events in the log; "${importedLine.slice(0, 60)}..."; "${rerunLine.slice(0, 40)}..."` },
  ];
  return {
    title: `logger-compat: telemetry import-legacy of ${count.toLocaleString("en-US")} legacy rows`,
    rows,
    goals,
    notes: [
      `setup, not measured against anything: legacy database (fixture DDL) with ${count.toLocaleString("en-US")} rows written in ${(writeDbMs / 1000).toFixed(1)} s.`,
      "each CLI run is its own process (node + the CLI + better-sqlite3); peak RSS is its own VmHWM (getrusage's maxRSS would include the bench's RSS at fork time). Durable: every event is fdatasync'd (group commit) before it counts as imported.",
    ],
  };
};
