// Fleet shipping benchmarks against a real local nats-server (JetStream, file
// storage): events/s shipped from a large log beside the raw client publishing
// the same lines with the same window (no log, no checkpoints); latency from
// an acknowledged emit to readable from the stream beside readable from the
// local log through the same cursor; and the CPU of a shipper following a live
// log beside a process that only follows it.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { connect, headers } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, type PubAck } from "@nats-io/jetstream";
import { createEvent, serializeEvent } from "@telemetry/schema";
import { openLogCursor } from "@telemetry/reader";
import { openEventWriter } from "@telemetry/writer";
import { followFleet, shipLog } from "@telemetry/ship";
import { natsServerMissing, startNatsServer, type NatsServerHandle } from "@telemetry/test-utils";
import type { BenchArea, BenchGoal, BenchRow } from "./report.js";

const WINDOW = 512;

function generateLog(path: string, count: number): string[] {
  const fd = openSync(path, "w");
  const ids: string[] = [];
  let lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = createEvent({ event: "task_started", run_id: `RUN-${i % 100}`, task_id: `TASK-${i}`, agent_role: "architect", tool: "claude-code", status: "running", summary: "step done" });
    ids.push(event.event_id);
    lines.push(serializeEvent(event));
    if (lines.length === 10_000) {
      writeSync(fd, `${lines.join("\n")}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) writeSync(fd, `${lines.join("\n")}\n`);
  closeSync(fd);
  return ids;
}

async function shipThroughput(server: NatsServerHandle, path: string, count: number): Promise<number> {
  const controller = new AbortController();
  const started = performance.now();
  const shipper = shipLog({ path, servers: server.url, stream: "SHIP", host: "bench", signal: controller.signal, maxInFlight: WINDOW });
  while (shipper.stats.shipped < count) {
    if (shipper.stats.state === "failed") await shipper.done;
    await sleep(5);
  }
  const seconds = (performance.now() - started) / 1000;
  controller.abort();
  await shipper.done;
  return count / seconds;
}

/** The same lines published by the client alone, same window, with msg ids: the engine's and client's ceiling. */
async function rawThroughput(server: NatsServerHandle, path: string): Promise<number> {
  const nc = await connect({ servers: server.url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "RAW", subjects: ["raw.>"] });
    const js = jetstream(nc);
    const lines = readFileSync(path, "utf8").split("\n").filter((l) => l !== "");
    const encoder = new TextEncoder();
    const started = performance.now();
    const inflight: Promise<PubAck>[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (inflight.length >= WINDOW) await inflight.shift();
      const h = headers();
      h.set("Telemetry-Host", "bench");
      inflight.push(js.publish("raw.bench", encoder.encode(lines[i]), { msgID: `raw-${i}`, headers: h }));
    }
    await Promise.all(inflight);
    return lines.length / ((performance.now() - started) / 1000);
  } finally {
    await nc.close();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** ms from each emit's acknowledgement until a fleet follower (or a local log cursor) sees it. */
async function latencies(server: NatsServerHandle, dir: string, count: number): Promise<{ stream: number[]; local: number[] }> {
  const path = join(dir, "live.jsonl");
  const acked = new Map<string, number>();
  const streamSeen: number[] = [];
  const localSeen: number[] = [];
  const controller = new AbortController();
  const writer = await openEventWriter({ path, durability: "write" });
  await writer.emit({ event: "task_started", event_id: "warm-up" });
  const shipper = shipLog({ path, servers: server.url, stream: "LIVE", streamSubjects: ["live.>"], subject: "live.bench", host: "bench", signal: controller.signal });
  // The shipper creates the stream: follow it once the first event is there.
  while (shipper.stats.shipped < 1) await sleep(10);
  const follower = (async () => {
    for await (const entry of followFleet({ servers: server.url, stream: "LIVE", signal: controller.signal, pollIntervalMs: 5 })) {
      const at = acked.get(entry.event.event_id);
      if (at !== undefined) streamSeen.push(performance.now() - at);
    }
  })();
  const local = (async () => {
    const cursor = await openLogCursor(path, { from: "start" });
    try {
      while (!controller.signal.aborted) {
        const { events } = await cursor.poll();
        const now = performance.now();
        for (const entry of events) {
          const at = acked.get(entry.event.event_id);
          if (at !== undefined) localSeen.push(now - at);
        }
        // The shipper's own poll interval: the baseline follows the log the same way.
        if (events.length === 0) await sleep(50);
      }
    } finally {
      await cursor.close();
    }
  })();
  await sleep(500);
  for (let i = 0; i < count; i++) {
    const id = `lat-${i}`;
    await writer.emit({ event: "task_started", event_id: id });
    acked.set(id, performance.now());
    await sleep(10 + Math.random() * 10);
  }
  const deadline = Date.now() + 20_000;
  while ((streamSeen.length < count || localSeen.length < count) && Date.now() < deadline) await sleep(20);
  controller.abort();
  await Promise.allSettled([shipper.done, follower, local]);
  await writer.close();
  return { stream: streamSeen.sort((a, b) => a - b), local: localSeen.sort((a, b) => a - b) };
}

function cpuSeconds(pid: number): number {
  // utime + stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100/s on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU (% of one core) of a child that ships (or only follows) a log written at `rate` events/s for `seconds`. */
async function followCpu(server: NatsServerHandle, dir: string, mode: "ship" | "follow", rate: number, seconds: number): Promise<number> {
  const path = join(dir, `cpu-${mode}.jsonl`);
  writeFileSync(path, "");
  const ship = pathToFileURL(new URL("../../packages/ship/dist/index.js", import.meta.url).pathname).href;
  const reader = pathToFileURL(new URL("../../packages/reader/dist/index.js", import.meta.url).pathname).href;
  const program = mode === "ship"
    ? `import { shipLog } from "${ship}"; const c = new AbortController(); process.on("SIGTERM", () => c.abort());
       shipLog({ path: ${JSON.stringify(path)}, servers: ${JSON.stringify(server.url)}, stream: "CPU", streamSubjects: ["cpu.>"], subject: "cpu.bench", host: "bench", signal: c.signal }).done.then(() => process.exit(0));`
    : `import { openLogCursor } from "${reader}"; let stop = false; process.on("SIGTERM", () => (stop = true));
       const cursor = await openLogCursor(${JSON.stringify(path)}, { from: "start" });
       while (!stop) { const { events } = await cursor.poll(); if (events.length === 0) await new Promise((r) => setTimeout(r, 50)); }
       await cursor.close(); process.exit(0);`;
  const file = join(dir, `cpu-${mode}.mjs`);
  writeFileSync(file, program);
  const child = spawn(process.execPath, [file], { stdio: "inherit" });
  await sleep(1_000);
  const writer = await openEventWriter({ path, durability: "write" });
  const before = cpuSeconds(child.pid!);
  const started = performance.now();
  const total = rate * seconds;
  for (let i = 0; i < total; i++) {
    void writer.emit({ event: "task_started", event_id: `${mode}-${i}` });
    const due = started + ((i + 1) * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
  }
  await writer.close();
  await sleep(200);
  const elapsed = (performance.now() - started) / 1000;
  const used = cpuSeconds(child.pid!) - before;
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  return (used / elapsed) * 100;
}

export const shipBench: BenchArea = async ({ quick, dir }) => {
  const title = "Fleet shipping (@telemetry/ship -> local nats-server JetStream)";
  const missing = natsServerMissing();
  if (missing !== undefined) return { title, rows: [], goals: [], notes: [`skipped: ${missing}`] };
  const count = quick ? 20_000 : 1_000_000;
  const server = await startNatsServer();
  try {
    const path = join(dir, "events.jsonl");
    generateLog(path, count);
    const ours = await shipThroughput(server, path, count);
    const raw = await rawThroughput(server, path);
    const lat = await latencies(server, dir, quick ? 50 : 500);
    const rate = 1_000;
    const cpuShip = await followCpu(server, dir, "ship", rate, quick ? 2 : 10);
    const cpuFollow = await followCpu(server, dir, "follow", rate, quick ? 2 : 10);
    const rows: BenchRow[] = [
      { name: `events/s shipped from a ${count.toLocaleString("en-US")}-event log`, ours, baseline: raw, baselineName: `the client's js.publish, same lines and window, no log`, unit: "ev/s" },
      { name: "emit acked -> readable from the stream, p50", ours: percentile(lat.stream, 50), baseline: percentile(lat.local, 50), baselineName: "readable from the local log (same cursor, fixed 50 ms poll)", unit: "ms" },
      { name: "emit acked -> readable from the stream, p99", ours: percentile(lat.stream, 99), baseline: percentile(lat.local, 99), baselineName: "readable from the local log (same cursor, fixed 50 ms poll)", unit: "ms" },
      { name: `shipper CPU following a live log at ${rate} ev/s`, ours: cpuShip, baseline: cpuFollow, baselineName: "a process that only follows the log", unit: "% of a core" },
    ];
    const goals: BenchGoal[] = [
      { description: "ship >= 50,000 events/s from a 1,000,000-event log to a local server", met: !quick && ours >= 50_000, detail: `${Math.round(ours).toLocaleString("en-US")} ev/s${quick ? " (quick run: not measured at full size)" : ""}; the raw client alone reaches ${Math.round(raw).toLocaleString("en-US")} ev/s` },
    ];
    return {
      title,
      rows,
      goals,
      notes: [`latency samples: ${lat.stream.length} via the stream, ${lat.local.length} via the local log; the shipper waits on its log through the reader's PollPacer (10 ms while events flow, backing off to 50 ms when idle); the local baseline sleeps a fixed 50 ms.`],
    };
  } finally {
    await server.dispose();
  }
};
