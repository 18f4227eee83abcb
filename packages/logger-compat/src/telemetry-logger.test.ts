import { join } from "node:path";
import { openEventWriter } from "@telemetry/writer";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it, onTestFinished } from "vitest";
import { DuplicateInvocationError, InvalidOptionError, LoggerClosedError } from "./errors.js";
import { InvocationValidationError, type InvocationRecord } from "./invocation-record.js";
import { aRecord, linesIn } from "./records.fixture.js";
import { TelemetryLogger, type TelemetryLoggerOptions } from "./telemetry-logger.js";

const NOW = new Date("2026-01-20T12:00:00Z");

async function openLogger(options: Partial<TelemetryLoggerOptions> = {}): Promise<{ logger: TelemetryLogger; path: string }> {
  const path = options.path ?? join(testdir(), "events.jsonl");
  const logger = await TelemetryLogger.open({ now: () => NOW, durability: "write", ...options, path });
  onTestFinished(() => logger.close());
  return { logger, path };
}


async function logAll(logger: TelemetryLogger, records: InvocationRecord[]): Promise<void> {
  for (const r of records) await logger.logInvocation(r);
}

describe("TelemetryLogger: logging", () => {
  it("appends one cost_update line per invocation and returns the stored row", async () => {
    const { logger, path } = await openLogger({ privacyLevel: "full" });
    const { privacy_level: _p, ...record } = aRecord({ invocation_id: "inv-1" });
    const row = await logger.logInvocation(record);
    expect(row).toMatchObject({ invocation_id: "inv-1", privacy_level: "full", timestamp: "2026-01-10T12:00:00.000000+00:00" });
    const lines = linesIn(path);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: "cost_update", event_id: "inv-1", attributes: { privacy_level: "full" } });
  });

  it("stamps a record without a timestamp with the injected clock", async () => {
    const { logger } = await openLogger();
    const { timestamp: _t, ...record } = aRecord();
    expect((await logger.logInvocation(record)).timestamp).toBe(NOW.toISOString());
  });

  it("rejects a duplicate invocation_id with DUPLICATE_INVOCATION and writes nothing", async () => {
    const { logger, path } = await openLogger();
    await logger.logInvocation(aRecord({ invocation_id: "dup" }));
    const error = await logger.logInvocation(aRecord({ invocation_id: "dup", cost_usd: 9 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateInvocationError);
    expect(error).toMatchObject({ code: "DUPLICATE_INVOCATION", invocationId: "dup" });
    expect(linesIn(path)).toHaveLength(1);
    expect((await logger.getStatistics()).total_cost_usd).toBe(0);
  });

  it("rejects an invalid record with the field named and writes nothing", async () => {
    const { logger, path } = await openLogger();
    await expect(logger.logInvocation(aRecord({ completion_tokens: -3 }))).rejects.toThrow(InvocationValidationError);
    await expect(logger.logInvocation(aRecord({ status: "unknown" as never }))).rejects.toThrow(/status: expected one of/);
    const { tool_name: _t, ...noTool } = aRecord();
    await expect(logger.logInvocation(noTool as InvocationRecord)).rejects.toThrow(/tool_name: is required/);
    expect(linesIn(path)).toEqual([]);
    expect(logger.size).toBe(0);
  });

  it("lets exactly one of several concurrent calls with the same id win", async () => {
    const { logger, path } = await openLogger();
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => logger.logInvocation(aRecord({ invocation_id: "race", latency_ms: i }))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(7);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(DuplicateInvocationError);
    expect(linesIn(path)).toHaveLength(1);
  });

  it("keeps every one of many concurrent calls with distinct ids", async () => {
    const { logger, path } = await openLogger({ durability: "fsync" });
    await Promise.all(Array.from({ length: 200 }, () => logger.logInvocation(aRecord())));
    expect(linesIn(path)).toHaveLength(200);
    expect((await logger.getStatistics({ days: 30 })).total_invocations).toBe(200);
  });

  it("frees an id whose write failed, so it can be logged again", async () => {
    const { logger, path } = await openLogger({ maxEventBytes: 1024 });
    await expect(logger.logInvocation(aRecord({ invocation_id: "big", status: "error", error_message: "x".repeat(5000) }))).rejects.toThrow();
    expect(linesIn(path)).toEqual([]);
    await logger.logInvocation(aRecord({ invocation_id: "big", status: "error", error_message: "short" }));
    expect((await logger.getInvocations())[0]).toMatchObject({ invocation_id: "big", error_message: "short" });
  });

  it("rejects calls after close with LOGGER_CLOSED", async () => {
    const { logger } = await openLogger();
    await logger.close();
    await logger.close();
    await expect(logger.logInvocation(aRecord())).rejects.toBeInstanceOf(LoggerClosedError);
    await expect(logger.getStatistics()).rejects.toMatchObject({ code: "LOGGER_CLOSED" });
  });

  it("resolves every close() only after the close completed, writes included", async () => {
    const { logger, path } = await openLogger();
    const writing = logger.logInvocation(aRecord({ invocation_id: "last" }));
    const order: string[] = [];
    const first = logger.close().then(() => order.push("first"));
    const second = logger.close().then(() => order.push(`second saw ${linesIn(path).length} line(s)`));
    await Promise.all([writing.catch(() => undefined), first, second]);
    expect(order).toHaveLength(2);
    // Whichever resolves first, the write that was accepted is on disk by then.
    expect(order.find((o) => o.startsWith("second"))).toBe(`second saw ${linesIn(path).length} line(s)`);
    await logger[Symbol.asyncDispose]();
  });

  it("closes at the end of an await using block", async () => {
    const path = join(testdir(), "events.jsonl");
    let escaped: TelemetryLogger | undefined;
    {
      await using logger = await TelemetryLogger.open({ path, now: () => NOW, durability: "write" });
      escaped = logger;
    }
    await expect(escaped.getStatistics()).rejects.toMatchObject({ code: "LOGGER_CLOSED" });
  });
});

describe("TelemetryLogger: legacy queries", () => {
  it("answers the same exact totals whatever was asked before, with no binary noise", async () => {
    const path = join(testdir(), "events.jsonl");
    const { logger: writer } = await openLogger({ path });
    const costs = [0.1, 0.2, 0.3, 0.0029, 0.0029, 0.0029];
    await logAll(writer, costs.map((cost_usd, i) => aRecord({ invocation_id: `c-${i}`, cost_usd, agent_name: "agent-a" })));
    const { logger: asksDailyFirst } = await openLogger({ path });
    const { logger: asksStatsFirst } = await openLogger({ path });
    const daily = await asksDailyFirst.getDailyCosts();
    const stats = await asksStatsFirst.getStatistics({ days: 30 });
    expect(await asksStatsFirst.getDailyCosts()).toEqual(daily);
    expect(await asksDailyFirst.getStatistics({ days: 30 })).toEqual(stats);
    expect(daily.map((row) => row.total_cost_usd)).toEqual([0.6087]);
    expect(stats.total_cost_usd).toBe(0.6087);
    // A window that starts after the first rows: a difference of running totals, still exact.
    await writer.logInvocation(aRecord({ invocation_id: "late", cost_usd: 0.0001, agent_name: "agent-a" }));
    expect((await asksStatsFirst.getStatistics({ days: 30 })).total_cost_usd).toBe(0.6088);
    expect((await asksDailyFirst.getDailyCosts())[0]!.total_cost_usd).toBe(0.6088);
  });

  it("returns zeros and empty lists for an empty log", async () => {
    const { logger } = await openLogger();
    expect(await logger.getStatistics()).toEqual({
      total_invocations: 0,
      total_cost_usd: 0,
      total_tokens: 0,
      success_rate: 0,
      avg_latency_ms: 0,
      error_count: 0,
    });
    expect(await logger.getDailyCosts()).toEqual([]);
    expect(await logger.getInvocations()).toEqual([]);
    expect(await logger.getStatistics({ agentName: "nobody" })).toMatchObject({ total_invocations: 0 });
  });

  it("aggregates one daily row per date, agent, tool and model across calls", async () => {
    const { logger } = await openLogger();
    await logAll(logger, [
      aRecord({ total_tokens: 100, cost_usd: 0.5, timestamp: "2026-01-10T01:00:00" }),
      aRecord({ total_tokens: 200, cost_usd: 0.25, timestamp: "2026-01-10T23:59:59.999999" }),
      aRecord({ total_tokens: 50, cost_usd: 0.125, timestamp: "2026-01-11T00:00:00" }),
      aRecord({ total_tokens: 7, cost_usd: 1, timestamp: "2026-01-10T05:00:00", model_name: "gpt-4o" }),
    ]);
    expect(await logger.getDailyCosts()).toEqual([
      { date: "2026-01-11", agent_name: "agent-a", tool_name: "claude-code", model_name: "claude-3.5-sonnet", invocations: 1, total_tokens: 50, total_cost_usd: 0.125 },
      { date: "2026-01-10", agent_name: "agent-a", tool_name: "claude-code", model_name: "gpt-4o", invocations: 1, total_tokens: 7, total_cost_usd: 1 },
      { date: "2026-01-10", agent_name: "agent-a", tool_name: "claude-code", model_name: "claude-3.5-sonnet", invocations: 2, total_tokens: 300, total_cost_usd: 0.75 },
    ]);
  });

  it("merges daily rows of invocations without an agent (the legacy table kept one per invocation)", async () => {
    const { logger } = await openLogger();
    await logAll(logger, [aRecord({ agent_name: null, cost_usd: 0.5 }), aRecord({ agent_name: null, cost_usd: 0.25 })]);
    expect(await logger.getDailyCosts()).toEqual([
      { date: "2026-01-10", agent_name: null, tool_name: "claude-code", model_name: "claude-3.5-sonnet", invocations: 2, total_tokens: 300, total_cost_usd: 0.75 },
    ]);
  });

  it("buckets days by UTC date, whatever offset a timestamp was written with", async () => {
    const { logger } = await openLogger();
    await logger.logInvocation(aRecord({ timestamp: "2026-01-11T01:30:00+02:00" }));
    expect((await logger.getDailyCosts())[0]!.date).toBe("2026-01-10");
    expect(await logger.getInvocations({ startDate: "2026-01-11" })).toEqual([]);
  });

  it("filters daily rows by inclusive dates and by agent", async () => {
    const { logger } = await openLogger();
    await logAll(logger, [
      aRecord({ timestamp: "2026-01-09T23:59:59" }),
      aRecord({ timestamp: "2026-01-10T00:00:00" }),
      aRecord({ timestamp: "2026-01-12T23:59:59", agent_name: "agent-b" }),
      aRecord({ timestamp: "2026-01-13T00:00:00" }),
    ]);
    const dates = (rows: { date: string }[]) => rows.map((r) => r.date);
    expect(dates(await logger.getDailyCosts({ startDate: "2026-01-10", endDate: "2026-01-12" }))).toEqual(["2026-01-12", "2026-01-10"]);
    expect(dates(await logger.getDailyCosts({ startDate: new Date("2026-01-12T18:00:00Z") }))).toEqual(["2026-01-13", "2026-01-12"]);
    expect(dates(await logger.getDailyCosts({ agentName: "agent-b" }))).toEqual(["2026-01-12"]);
    expect(await logger.getDailyCosts({ agentName: "agent-z" })).toEqual([]);
  });

  it("lists invocations newest first, filtered by agent, tool, status and inclusive dates", async () => {
    const { logger } = await openLogger();
    await logAll(logger, [
      aRecord({ invocation_id: "a", timestamp: "2026-01-10T10:00:00", tool_name: "cursor" }),
      aRecord({ invocation_id: "b", timestamp: "2026-01-12T10:00:00", status: "error", error_message: "boom" }),
      aRecord({ invocation_id: "c", timestamp: "2026-01-11T10:00:00", agent_name: "agent-b", tool_name: "cursor" }),
      aRecord({ invocation_id: "d", timestamp: "2026-01-13T00:00:00.000001", status: "timeout" }),
      aRecord({ invocation_id: "e", timestamp: "2026-01-13T00:00:00.000002", agent_name: null }),
    ]);
    const ids = (rows: { invocation_id: string }[]) => rows.map((r) => r.invocation_id);
    expect(ids(await logger.getInvocations())).toEqual(["e", "d", "b", "c", "a"]);
    expect(ids(await logger.getInvocations({ toolName: "cursor" }))).toEqual(["c", "a"]);
    expect(ids(await logger.getInvocations({ toolName: "cursor", agentName: "agent-a" }))).toEqual(["a"]);
    expect(ids(await logger.getInvocations({ status: "error" }))).toEqual(["b"]);
    expect(ids(await logger.getInvocations({ startDate: "2026-01-11", endDate: "2026-01-12" }))).toEqual(["b", "c"]);
    expect(ids(await logger.getInvocations({ limit: 2 }))).toEqual(["e", "d"]);
    expect(await logger.getInvocations({ limit: 0 })).toEqual([]);
    expect((await logger.getInvocations({ status: "error" }))[0]).toEqual({
      invocation_id: "b",
      timestamp: "2026-01-12T10:00:00+00:00",
      agent_name: "agent-a",
      tool_name: "claude-code",
      model_name: "claude-3.5-sonnet",
      prompt_tokens: 100,
      completion_tokens: 50,
      total_tokens: 150,
      cost_usd: 0.0015,
      latency_ms: 1200,
      status: "error",
      error_message: "boom",
      privacy_level: "metadata",
    });
  });

  it("returns at most 100 invocations by default", async () => {
    const { logger } = await openLogger();
    await Promise.all(Array.from({ length: 130 }, () => logger.logInvocation(aRecord())));
    expect(await logger.getInvocations()).toHaveLength(100);
    expect(await logger.getInvocations({ limit: 1000 })).toHaveLength(130);
  });

  it("orders invocations logged out of time order by timestamp, microseconds included", async () => {
    const { logger } = await openLogger();
    await logAll(logger, [
      aRecord({ invocation_id: "late", timestamp: "2026-01-10T00:00:00.000900" }),
      aRecord({ invocation_id: "early", timestamp: "2026-01-10T00:00:00.000100" }),
      aRecord({ invocation_id: "middle", timestamp: "2026-01-10T00:00:00.000500" }),
    ]);
    expect((await logger.getInvocations()).map((r) => r.invocation_id)).toEqual(["late", "middle", "early"]);
  });

  it("computes success rate, error count (timeouts are not errors), totals and mean latency", async () => {
    const { logger } = await openLogger();
    await logAll(logger, [
      aRecord({ status: "success", latency_ms: 100, cost_usd: 0.5, total_tokens: 10 }),
      aRecord({ status: "success", latency_ms: 200, cost_usd: 0.25, total_tokens: 20 }),
      aRecord({ status: "error", latency_ms: 300, cost_usd: 0.125, total_tokens: 30, error_message: "x" }),
      aRecord({ status: "timeout", latency_ms: 400, cost_usd: 0.125, total_tokens: 40, agent_name: "agent-b" }),
    ]);
    expect(await logger.getStatistics({ days: 30 })).toEqual({
      total_invocations: 4,
      total_cost_usd: 1,
      total_tokens: 100,
      success_rate: 0.5,
      avg_latency_ms: 250,
      error_count: 1,
    });
    expect(await logger.getStatistics({ days: 30, agentName: "agent-b" })).toMatchObject({ total_invocations: 1, success_rate: 0, error_count: 0 });
  });

  it("counts statistics over the last `days` before the injected clock's now", async () => {
    // NOW is 2026-01-20T12:00:00Z: 7 days reach back to 2026-01-13T12:00:00Z, inclusive.
    const { logger } = await openLogger();
    await logAll(logger, [
      aRecord({ timestamp: "2026-01-13T11:59:59.999999" }),
      aRecord({ timestamp: "2026-01-13T12:00:00" }),
      aRecord({ timestamp: "2026-01-20T11:00:00" }),
    ]);
    expect((await logger.getStatistics()).total_invocations).toBe(2);
    expect((await logger.getStatistics({ days: 1 })).total_invocations).toBe(1);
    expect((await logger.getStatistics({ days: 8 })).total_invocations).toBe(3);
  });

  it("keeps statistics for one agent current as more of its invocations arrive", async () => {
    const { logger } = await openLogger();
    await logger.logInvocation(aRecord({ agent_name: "solo", cost_usd: 1 }));
    expect((await logger.getStatistics({ agentName: "solo", days: 30 })).total_cost_usd).toBe(1);
    await logger.logInvocation(aRecord({ agent_name: "solo", cost_usd: 2, timestamp: "2026-01-09T00:00:00" }));
    await logger.logInvocation(aRecord({ agent_name: "solo", cost_usd: 4, timestamp: "2026-01-15T00:00:00" }));
    expect(await logger.getStatistics({ agentName: "solo", days: 30 })).toMatchObject({ total_invocations: 3, total_cost_usd: 7 });
    expect((await logger.getStatistics({ agentName: "solo", days: 6 })).total_cost_usd).toBe(4);
  });

  it("rejects unusable query options with INVALID_OPTION naming the option", async () => {
    const { logger } = await openLogger();
    await expect(logger.getDailyCosts({ startDate: "Jan 5" })).rejects.toThrow(InvalidOptionError);
    await expect(logger.getDailyCosts({ endDate: "2026-02-30" })).rejects.toThrow(/endDate: expected a calendar date/);
    await expect(logger.getInvocations({ limit: -1 })).rejects.toMatchObject({ code: "INVALID_OPTION", option: "limit" });
    await expect(logger.getStatistics({ days: Number.NaN })).rejects.toMatchObject({ option: "days" });
    await expect(TelemetryLogger.open({ path: join(testdir(), "x.jsonl"), privacyLevel: "secret" as never })).rejects.toMatchObject({ option: "privacyLevel" });
  });
});

describe("TelemetryLogger: the log is the only store", () => {
  it("rebuilds the same answers from the log when reopened", async () => {
    const { logger, path } = await openLogger();
    await logAll(logger, [aRecord({ agent_name: null }), aRecord({ status: "error", error_message: "e" }), aRecord({ timestamp: "2026-01-11T00:00:00" })]);
    const invocations = await logger.getInvocations();
    const before = [await logger.getDailyCosts(), invocations, await logger.getStatistics({ days: 30 })];
    await logger.close();
    const { logger: reopened } = await openLogger({ path });
    expect(reopened.size).toBe(3);
    expect([await reopened.getDailyCosts(), await reopened.getInvocations(), await reopened.getStatistics({ days: 30 })]).toEqual(before);
    await expect(reopened.logInvocation(aRecord({ invocation_id: invocations[0]!.invocation_id }))).rejects.toBeInstanceOf(DuplicateInvocationError);
  });

  it("ignores other event types, and cost_update events that carry no invocation", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    await writer.emit({ event: "task_started", run_id: "RUN-1", agent_role: "agent-a" });
    await writer.emit({ event: "cost_update", run_id: "RUN-1", agent_role: "agent-a", summary: "tokens=8789" });
    await writer.emit({ event: "cost_update", tool: "codex", status: "running", metrics: { model: "m", cost_usd: 1 } });
    const { logger } = await openLogger({ path });
    await logger.logInvocation(aRecord());
    await writer.emit({ event: "task_completed", run_id: "RUN-1" });
    await writer.close();
    expect(await logger.getStatistics({ days: 30 })).toMatchObject({ total_invocations: 1, total_cost_usd: 0.0015 });
    expect(await logger.getDailyCosts()).toHaveLength(1);
  });

  it("sees invocations another logger on the same log appended, on its next query", async () => {
    const { logger: a, path } = await openLogger();
    const { logger: b } = await openLogger({ path });
    await a.logInvocation(aRecord({ invocation_id: "from-a" }));
    expect((await b.getInvocations()).map((r) => r.invocation_id)).toEqual(["from-a"]);
    await expect(b.logInvocation(aRecord({ invocation_id: "from-a" }))).rejects.toBeInstanceOf(DuplicateInvocationError);
    await b.logInvocation(aRecord({ invocation_id: "from-b", timestamp: "2026-01-11T00:00:00" }));
    expect((await a.getInvocations()).map((r) => r.invocation_id)).toEqual(["from-b", "from-a"]);
  });

  it("follows the log across rotations, reading rotated files it had not finished", async () => {
    const path = join(testdir(), "events.jsonl");
    const options = { path, maxSizeBytes: 2_000, maxBackups: 100 };
    const { logger: writerSide } = await openLogger(options);
    const { logger: readerSide } = await openLogger(options);
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 7 }, () => writerSide.logInvocation(aRecord())));
      expect((await readerSide.getStatistics({ days: 30 })).total_invocations).toBe((round + 1) * 7);
    }
    expect(linesIn(`${path}.1`).length).toBeGreaterThan(0);
    const { logger: fresh } = await openLogger(options);
    expect(fresh.size).toBe(35);
  });

  it("starts over after the log was truncated, keeping what it had indexed", async () => {
    const { logger: a, path } = await openLogger();
    await logAll(a, [aRecord({ invocation_id: "old-1" }), aRecord({ invocation_id: "old-2" })]);
    const { truncateSync } = await import("node:fs");
    truncateSync(path, 0);
    const { logger: b } = await openLogger({ path });
    await b.logInvocation(aRecord({ invocation_id: "after-truncation" }));
    expect((await a.getInvocations()).map((r) => r.invocation_id).sort()).toEqual(["after-truncation", "old-1", "old-2"]);
    expect(b.size).toBe(1);
  });

  it("reports damaged lines through onInvalidLine and keeps the rest", async () => {
    const path = join(testdir(), "events.jsonl");
    const { logger } = await openLogger({ path });
    await logger.logInvocation(aRecord());
    await logger.close();
    const { appendFileSync } = await import("node:fs");
    appendFileSync(path, '{"event":"cost_update", torn\n');
    const issues: { line: number }[] = [];
    const { logger: reopened } = await openLogger({ path, onInvalidLine: (issue) => issues.push(issue) });
    await reopened.logInvocation(aRecord());
    expect(reopened.size).toBe(2);
    expect(issues).toMatchObject([{ line: 2 }]);
  });
});
