// Server benchmarks: how fast an acknowledged event reaches a stream client,
// what 50 stream clients cost while a writer emits 5,000 events/s, and
// /api/runs on a 1,000,000-event log. The server runs as `telemetry serve`
// in its own process, so its CPU is its own; each figure sits beside a
// baseline from the same run.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { request } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { openLogCursor, readEvents, summarizeRuns } from "@telemetry/reader";
import { createEvent, serializeEvent, type EventType } from "@telemetry/schema";
import { connectSse } from "@telemetry/test-utils/sse-client";
import { openEventWriter, type EventWriter } from "@telemetry/writer";
import type { BenchArea, BenchGoal, BenchRow } from "./report.js";

const CLI_BIN = join(dirname(createRequire(import.meta.url).resolve("@telemetry/cli/package.json")), "dist", "bin.js");
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  /** Seconds from spawn to the URL line: the initial read of the whole log. */
  readonly readySeconds: number;
}

async function serve(path: string): Promise<Served> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI_BIN, "serve", path, "--port", "0", "--max-streams", "200"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const newline = out.indexOf("\n");
      if (newline !== -1) resolve(out.slice(0, newline));
    });
    child.on("exit", (code) => reject(new Error(`telemetry serve exited with ${code}`)));
  });
  return { child, url, readySeconds: (performance.now() - started) / 1000 };
}

async function stop(served: Served): Promise<void> {
  const exited = new Promise((resolve) => served.child.on("exit", resolve));
  served.child.kill("SIGTERM");
  await exited;
}

/** utime + stime of a process, in seconds (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0) / 1024;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Emits `count` events at `perSecond`, in batches every 10 ms; records when each was acknowledged. */
async function emitAtRate(writer: EventWriter, count: number, perSecond: number, acked: Map<string, number>): Promise<void> {
  const perTick = Math.max(1, Math.round(perSecond / 100));
  const start = performance.now();
  let sent = 0;
  const pending: Promise<void>[] = [];
  while (sent < count) {
    const batch = Math.min(perTick, count - sent);
    for (let i = 0; i < batch; i++, sent++) {
      const n = sent;
      pending.push(
        writer.emit({ event: "cost_update", run_id: `RUN-${n % 20}`, task_id: `t${n % 7}`, tool: "codex", summary: `e${n}`, metrics: { model: "gpt-4o", total_tokens: 100, cost_usd: 0.001 } }).then((event) => {
          acked.set(event.event_id, performance.now());
        }),
      );
    }
    const due = start + (sent / perSecond) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  await Promise.all(pending);
}

/** Latency of one probe client: ack -> message in the client, per event. */
function probeLatencies(received: Map<string, number>, acked: Map<string, number>): number[] {
  const out: number[] = [];
  for (const [id, at] of received) {
    const ack = acked.get(id);
    if (ack !== undefined) out.push(Math.max(0, at - ack));
  }
  return out;
}

function eventIdOf(data: string): string {
  const at = data.lastIndexOf('"event_id":"');
  return data.slice(at + 12, data.indexOf('"', at + 12));
}

async function latencyRun(dir: string, count: number, perSecond: number): Promise<{ ours: number[]; direct: number[] }> {
  const path = join(dir, "latency.jsonl");
  const writer = await openEventWriter({ path });
  await writer.emit({ event: "task_started", run_id: "RUN-0" });
  const served = await serve(path);
  const received = new Map<string, number>();
  const client = await connectSse(`${served.url}api/stream`, { onMessage: (m) => received.set(eventIdOf(m.data), performance.now()) });
  // Baseline: the same log read by the reader's cursor in this process, polled every 50 ms (the server's poll period), no HTTP.
  const direct = new Map<string, number>();
  const cursor = await openLogCursor(path, { from: "end" });
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const result = await cursor.poll();
      const now = performance.now();
      for (const entry of result.events) direct.set(entry.event.event_id, now);
      if (result.caughtUp) await sleep(50);
    }
  })();
  const acked = new Map<string, number>();
  await emitAtRate(writer, count, perSecond, acked);
  await client.waitFor(count, 30_000);
  polling = false;
  await poller;
  await cursor.close();
  client.close();
  await writer.close();
  await stop(served);
  return { ours: probeLatencies(received, acked), direct: probeLatencies(direct, acked) };
}

/** `clients` stream clients (one probe that parses, the rest count messages) while a writer emits. */
async function fanOutRun(dir: string, name: string, clients: number, seconds: number, perSecond: number): Promise<{ cpuPercent: number; p50: number; p99: number; delivered: number; expected: number; dropped: number }> {
  const path = join(dir, `${name}.jsonl`);
  const writer = await openEventWriter({ path });
  await writer.emit({ event: "task_started", run_id: "RUN-0" });
  const served = await serve(path);
  const count = Math.round(seconds * perSecond);
  const received = new Map<string, number>();
  const probe = await connectSse(`${served.url}api/stream`, { onMessage: (m) => received.set(eventIdOf(m.data), performance.now()) });
  let delivered = 0;
  // Clients the server disconnected for falling 8 MiB behind (by design: they would resume from their last id).
  let dropped = 0;
  void probe.ended.then(() => dropped++);
  const counters = await Promise.all(
    Array.from({ length: clients - 1 }, () =>
      new Promise<() => void>((resolve, reject) => {
        const req = request(`${served.url}api/stream`, (res) => {
          res.setEncoding("latin1");
          // The last bytes of the previous chunk go in front: a "\ndata: " split across two chunks counts once.
          let tail = "";
          res.on("data", (chunk: string) => {
            const text = tail + chunk;
            for (let at = text.indexOf("\ndata: "); at !== -1; at = text.indexOf("\ndata: ", at + 7)) delivered++;
            tail = text.slice(-6);
          });
          let closedByUs = false;
          res.on("close", () => {
            if (!closedByUs) dropped++;
          });
          resolve(() => {
            closedByUs = true;
            req.destroy();
          });
        });
        req.on("error", reject);
        req.end();
      }),
    ),
  );
  const cpuBefore = cpuSeconds(served.child.pid!);
  const wallBefore = performance.now();
  const acked = new Map<string, number>();
  await emitAtRate(writer, count, perSecond, acked);
  // A probe dropped as too slow never completes: wait a bounded time and report what arrived.
  await probe.waitFor(count, 30_000).catch(() => undefined);
  const wall = (performance.now() - wallBefore) / 1000;
  const cpu = cpuSeconds(served.child.pid!) - cpuBefore;
  await sleep(200);
  const probeDropped = dropped;
  for (const close of counters) close();
  probe.close();
  await writer.close();
  await stop(served);
  const latencies = probeLatencies(received, acked);
  return { cpuPercent: (cpu / wall) * 100, p50: percentile(latencies, 50), p99: percentile(latencies, 99), delivered: delivered + probe.messages.length, expected: count * clients, dropped: probeDropped };
}

const EVENT_CYCLE: readonly EventType[] = ["task_started", "execution_start", "cost_update", "cost_update", "execution_complete", "task_completed"];

/** A log of `events` events over 1,000 runs of tasks, as an orchestrator writes them. */
function generateRunsLog(path: string, events: number): void {
  const fd = openSync(path, "w");
  const start = Date.parse("2026-11-01T00:00:00Z");
  for (let n = 0; n < events; ) {
    const lines: string[] = [];
    for (let i = 0; i < 10_000 && n < events; i++, n++) {
      const type = EVENT_CYCLE[n % EVENT_CYCLE.length]!;
      const task = Math.floor(n / EVENT_CYCLE.length);
      lines.push(
        serializeEvent(
          createEvent({
            event: type,
            ts: new Date(start + n * 1000).toISOString(),
            run_id: `RUN-${String(task % 1000).padStart(4, "0")}`,
            task_id: `task-${task}`,
            agent_role: ["planner", "coder", "reviewer", "tester"][task % 4]!,
            tool: task % 2 === 0 ? "codex" : "claude-code",
            phase: "implementation",
            status: type === "task_completed" ? "completed" : "running",
            ...(type === "cost_update" ? { metrics: { model: "gpt-4o", total_tokens: 1200, cost_usd: 0.0123 } } : {}),
          }),
        ),
      );
    }
    writeSync(fd, `${lines.join("\n")}\n`);
  }
  closeSync(fd);
}

async function timeGet(url: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return { ms: performance.now() - started, bytes: body.byteLength };
}

export const serverBench: BenchArea = async ({ quick, dir }) => {
  // 1. Emit-acknowledged -> event in a stream client.
  const latencyEvents = quick ? 100 : 1_000;
  const latency = await latencyRun(dir, latencyEvents, 100);
  const p50 = percentile(latency.ours, 50);
  const p99 = percentile(latency.ours, 99);

  // 2. 50 clients while a writer emits 5,000 events/s, beside 1 client under the same load.
  const seconds = quick ? 1 : 5;
  const rate = quick ? 1_000 : 5_000;
  const fan = await fanOutRun(dir, "fan50", 50, seconds, rate);
  const single = await fanOutRun(dir, "fan1", 1, seconds, rate);

  // 3. /api/runs on a large log, warm, beside recomputing the summaries from the log.
  const events = quick ? 20_000 : 1_000_000;
  const big = join(dir, "big.jsonl");
  generateRunsLog(big, events);
  const served = await serve(big);
  const rss = rssMb(served.child.pid!);
  const runsUrl = `${served.url}api/runs`;
  await timeGet(runsUrl);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < (quick ? 5 : 50); i++) {
    const t = await timeGet(runsUrl);
    times.push(t.ms);
    bytes = t.bytes;
  }
  await stop(served);
  const recomputeStart = performance.now();
  const summaries = await summarizeRuns(readEvents(big));
  const recomputeMs = performance.now() - recomputeStart;
  const runsP50 = percentile(times, 50);

  const rows: BenchRow[] = [
    { name: `emit acknowledged -> event in a stream client, p50 (${latencyEvents} events at 100/s)`, ours: p50, baseline: percentile(latency.direct, 50), baselineName: "reader cursor in-process, polled every 50 ms (no HTTP)", unit: "ms" },
    { name: "same, p99", ours: p99, baseline: percentile(latency.direct, 99), baselineName: "reader cursor in-process, polled every 50 ms (no HTTP)", unit: "ms" },
    { name: `server CPU, 50 stream clients, writer at ${rate.toLocaleString("en-US")} events/s`, ours: fan.cpuPercent, baseline: single.cpuPercent, baselineName: "same load, 1 stream client", unit: "% of a core" },
    { name: "latency p50 under that load (probe client)", ours: fan.p50, baseline: single.p50, baselineName: "same load, 1 stream client", unit: "ms" },
    { name: "latency p99 under that load (probe client)", ours: fan.p99, baseline: single.p99, baselineName: "same load, 1 stream client", unit: "ms" },
    { name: `GET /api/runs (50 of ${summaries.length.toLocaleString("en-US")} runs), ${events.toLocaleString("en-US")}-event log, warm, p50`, ours: runsP50, baseline: recomputeMs, baselineName: "summarizeRuns(readEvents(log)) per request", unit: "ms" },
  ];
  const goals: BenchGoal[] = [
    { description: "emit-acknowledged to event-in-client p99 < 250 ms", met: p99 < 250, detail: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms over ${latency.ours.length} events (server polls every 50 ms)` },
    {
      description: `50 stream clients at ${rate.toLocaleString("en-US")} events/s: every event to every client`,
      met: fan.delivered >= fan.expected,
      detail: `${fan.delivered.toLocaleString("en-US")} of ${fan.expected.toLocaleString("en-US")} messages, ${fan.dropped} of 50 clients disconnected as too slow (8 MiB behind; they would resume from their last id); server CPU ${fan.cpuPercent.toFixed(0)}% of a core (1 client: ${single.cpuPercent.toFixed(0)}%); p99 ${fan.p99.toFixed(0)} ms`,
    },
    { description: `/api/runs on a ${events.toLocaleString("en-US")}-event log < 100 ms warm`, met: runsP50 < 100, detail: `p50 ${runsP50.toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, ${bytes.toLocaleString("en-US")} B; initial read ${served.readySeconds.toFixed(1)} s, server RSS ${rss.toFixed(0)} MB` },
  ];
  return { title: "Server (`telemetry serve`)", rows, goals, notes: ["The server runs as a `telemetry serve` child process; CPU is its own utime+stime over the emit window. Stream clients run in the bench process, on the same 2 cores as the server and the writer."] };
};
