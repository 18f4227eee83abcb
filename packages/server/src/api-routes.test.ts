// The JSON and NDJSON routes answer what the reader's own functions answer
// over the same log, from live aggregates.
import { readFile } from "node:fs/promises";
import { readEvents, rollupCosts, summarizeRuns } from "@telemetry/reader";
import { describe, expect, it } from "vitest";
import type { CostsBody, RunsPage } from "@telemetry/web";
import type { TaskView } from "@telemetry/web";
import { apiUrl, emitAll, eventually, getJson, serveForTest, taskEvents, testLog } from "./served-log.fixture.js";

describe("read API", () => {
  it("lists run summaries as summarizeRuns gives them, newest first, with paging and a status", async () => {
    const log = await testLog();
    await emitAll(log.writer, [
      ...taskEvents("RUN-A", "t1", { day: "2026-11-28" }),
      ...taskEvents("RUN-B", "t1", { day: "2026-11-29", fails: true }),
      ...taskEvents("RUN-C", "t1", { day: "2026-11-30" }).slice(0, 2),
    ]);
    const server = await serveForTest({ paths: [log.path] });
    const page = await getJson<RunsPage>(apiUrl(server, "/api/runs"));
    expect(page.runs.map((r) => [r.run_id, r.status])).toEqual([["RUN-C", "running"], ["RUN-B", "failed"], ["RUN-A", "completed"]]);
    const expected = await summarizeRuns(readEvents(log.path));
    for (const run of page.runs) {
      const { status: _status, ...summary } = run;
      expect(summary).toEqual(expected.find((e) => e.run_id === run.run_id));
    }
    const second = await getJson<RunsPage>(apiUrl(server, "/api/runs?limit=1&offset=1"));
    expect(second.runs.map((r) => r.run_id)).toEqual(["RUN-B"]);
    expect([second.total, second.offset, second.limit]).toEqual([3, 1, 1]);
    expect((await getJson<RunsPage>(apiUrl(server, "/api/runs?status=failed"))).runs.map((r) => r.run_id)).toEqual(["RUN-B"]);
    expect((await getJson<RunsPage>(apiUrl(server, "/api/runs?q=run-a"))).runs.map((r) => r.run_id)).toEqual(["RUN-A"]);
    expect((await getJson<RunsPage>(apiUrl(server, "/api/runs?q=codex"))).total).toBe(3);
  });

  it("gives a run's tasks with start, end, outcome, phases, executions, failures, tokens, cost and log paths, and its events", async () => {
    const log = await testLog();
    await emitAll(log.writer, [...taskEvents("RUN-1", "t1", { cost: 0.25 }), ...taskEvents("RUN-1", "t2", { fails: true }), ...taskEvents("RUN-2", "t1")]);
    const server = await serveForTest({ paths: [log.path] });
    const detail = await getJson<{ run: { run_id: string; status: string }; tasks: TaskView[]; events: { event_id: string }[]; events_total: number; events_omitted: number }>(apiUrl(server, "/api/runs/RUN-1"));
    expect(detail.run).toMatchObject({ run_id: "RUN-1", status: "failed" });
    expect(detail.tasks.map((t) => [t.task_id, t.outcome])).toEqual([["t1", "completed"], ["t2", "failed"]]);
    const [t1, t2] = detail.tasks;
    expect(t1).toMatchObject({
      started_ts: "2026-11-30T10:00:00.000Z",
      ended_ts: "2026-11-30T10:00:07.000Z",
      agent_role: "coder",
      total_tokens: 120,
      cost_usd: 0.25,
      log_paths: { stdout: "runs/RUN-1/t1/stdout.log" },
      phases: [{ phase: "implementation", first_ts: "2026-11-30T10:00:00.000Z", last_ts: "2026-11-30T10:00:07.000Z" }],
    });
    expect(t1!.executions).toEqual([expect.objectContaining({ tool: "codex", started_ts: "2026-11-30T10:00:01.000Z", ended_ts: "2026-11-30T10:00:06.000Z", status: "completed" })]);
    expect(t2!.failures.map((f) => [f.event, f.summary])).toEqual([["execution_complete", null], ["task_failed", "3 tests failed"]]);
    const stored = (await readFile(log.path, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as { event_id: string; run_id: string });
    expect(detail.events.map((e) => e.event_id)).toEqual(stored.filter((e) => e.run_id === "RUN-1").map((e) => e.event_id));
    expect([detail.events_total, detail.events_omitted]).toEqual([10, 0]);
    expect((await fetch(apiUrl(server, "/api/runs/RUN%2F404"))).status).toBe(404);
  });

  it("rolls costs up by any keys exactly as rollupCosts does", async () => {
    const log = await testLog();
    await emitAll(log.writer, [
      ...taskEvents("RUN-1", "t1", { model: "gpt-4o", agent: "coder", cost: 0.1, day: "2026-11-29" }),
      ...taskEvents("RUN-1", "t2", { model: "claude", agent: "tester", cost: 0.2, day: "2026-11-30" }),
      ...taskEvents("RUN-2", "t1", { model: "gpt-4o", agent: "tester", cost: 0.3, day: "2026-11-30" }),
    ]);
    const server = await serveForTest({ paths: [log.path] });
    for (const by of [["date"], ["model"], ["agent_role"], ["tool"], ["date", "model", "agent_role", "tool"], ["model", "date"]] as const) {
      const body = await getJson<CostsBody>(apiUrl(server, `/api/costs?by=${by.join(",")}`));
      const expected = await rollupCosts(readEvents(log.path), { by });
      expect(body.by).toEqual(by);
      expect(body.rows).toHaveLength(expected.length);
      expect(body.rows).toEqual(expect.arrayContaining(expected));
    }
    const totals = (await getJson<CostsBody>(apiUrl(server, "/api/costs"))).totals;
    expect(totals).toEqual({ invocations: 3, total_tokens: 360, cost_usd: 0.6 });
  });

  it("streams matching events as NDJSON, byte for byte the stored lines", async () => {
    const log = await testLog();
    await emitAll(log.writer, [...taskEvents("RUN-1", "t1"), ...taskEvents("RUN-2", "t1", { fails: true }), { event: "cost_update", ts: "2026-11-30T11:00:00.000Z", run_id: "RUN-1", summary: 'quote " backslash \\ emoji 🚀 <b>' }]);
    const server = await serveForTest({ paths: [log.path] });
    const lines = (await readFile(log.path, "utf8")).split("\n").filter((l) => l !== "");
    const all = await fetch(apiUrl(server, "/api/events"));
    expect(all.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(await all.text()).toBe(`${lines.join("\n")}\n`);
    const run1Costs = await (await fetch(apiUrl(server, "/api/events?run_id=RUN-1&event=cost_update"))).text();
    expect(run1Costs).toBe(`${lines.filter((l) => l.includes('"RUN-1"') && l.includes('"cost_update"')).join("\n")}\n`);
    expect(await (await fetch(apiUrl(server, "/api/events?event=task_failed,task_completed&limit=1"))).text()).toBe(`${lines.find((l) => l.includes("task_completed"))}\n`);
    expect(await (await fetch(apiUrl(server, "/api/events?since=2026-11-30T10:30:00Z"))).text()).toBe(`${lines.at(-1)}\n`);
  });

  it("keeps the aggregates live: an event written after start shows in runs, the run and costs", async () => {
    const log = await testLog();
    await emitAll(log.writer, taskEvents("RUN-1", "t1"));
    const server = await serveForTest({ paths: [log.path] });
    await emitAll(log.writer, taskEvents("RUN-NEW", "t9", { cost: 1.5 }));
    // All five events are in the log once emitAll resolved; the server shows them within a few polls.
    await eventually(async () => (await getJson<RunsPage>(apiUrl(server, "/api/runs"))).runs.some((r) => r.run_id === "RUN-NEW" && r.events === 5));
    expect((await getJson<RunsPage>(apiUrl(server, "/api/runs"))).total).toBe(2);
    expect((await getJson<{ tasks: TaskView[] }>(apiUrl(server, "/api/runs/RUN-NEW"))).tasks[0]).toMatchObject({ task_id: "t9", outcome: "completed", cost_usd: 1.5 });
    expect((await getJson<CostsBody>(apiUrl(server, "/api/costs"))).totals.cost_usd).toBe(1.51);
  });
});
