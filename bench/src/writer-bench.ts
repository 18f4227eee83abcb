// Writer benchmarks: durable events/s by concurrency beside the raw fsync
// limit and the original open/write/fsync/close design, emit latency,
// event-loop delay beside a main-thread-fsync design, and buffered throughput
// beside pino. Every contestant writes the same ~220-byte event lines.
import { closeSync, fdatasync, fdatasyncSync, fsyncSync, openSync, writeSync, constants } from "node:fs";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { promisify } from "node:util";
import { createEvent, serializeEvent, type EventInput } from "@telemetry/schema";
import { openEventWriter, writerStats } from "@telemetry/writer";
import { pino } from "pino";
import type { BenchArea, BenchGoal, BenchRow } from "./report.js";

const fdatasyncAsync = promisify(fdatasync);
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT;

/** A representative lifecycle event: ~220 bytes once ts and event_id are added. */
const INPUT = {
  event: "execution_complete",
  run_id: "RUN-20260213-0042",
  task_id: "TASK-0007",
  agent_role: "implementer",
  tool: "claude",
  status: "ok",
  metrics: { model: "sonnet", prompt_tokens: 1834, completion_tokens: 412, cost_usd: 0.0123 },
} satisfies EventInput;
const LINE = `${serializeEvent(createEvent(INPUT))}\n`;
const LINE_BYTES = Buffer.byteLength(LINE);

let fileCounter = 0;
function freshPath(dir: string, name: string): string {
  return join(dir, `${name}-${fileCounter++}.jsonl`);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Raw limit: batches of 1,000 lines, one write(2) and one fdatasync each, nothing else. */
function rawLimit(dir: string, seconds: number): number {
  const fd = openSync(freshPath(dir, "raw"), APPEND, 0o600);
  const batch = Buffer.from(LINE.repeat(1000));
  let events = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  do {
    writeSync(fd, batch);
    fdatasyncSync(fd);
    events += 1000;
  } while (performance.now() < deadline);
  const elapsed = (performance.now() - start) / 1000;
  closeSync(fd);
  return events / elapsed;
}

/** The design we replace: open, write, fsync, close for every event. */
function originalDesign(dir: string, seconds: number): number {
  const path = freshPath(dir, "original");
  let events = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  do {
    const fd = openSync(path, APPEND, 0o600);
    writeSync(fd, LINE);
    fsyncSync(fd);
    closeSync(fd);
    events++;
  } while (performance.now() < deadline);
  return events / ((performance.now() - start) / 1000);
}

/** One write(2) and one fdatasync per event on an open file: the floor for a single awaited producer. */
async function writeFsyncPerEvent(dir: string, seconds: number): Promise<number> {
  const fd = openSync(freshPath(dir, "per-event"), APPEND, 0o600);
  let events = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  do {
    writeSync(fd, LINE);
    await fdatasyncAsync(fd);
    events++;
  } while (performance.now() < deadline);
  const elapsed = (performance.now() - start) / 1000;
  closeSync(fd);
  return events / elapsed;
}

interface ProducerRun {
  readonly eventsPerSecond: number;
  readonly latenciesMs: number[];
  readonly loopDelayP99Ms: number;
  readonly batches: number;
}

/** `producers` async loops each awaiting `emit` until the deadline. */
async function durableProducers(dir: string, producers: number, seconds: number, durability: "fsync" | "write" = "fsync"): Promise<ProducerRun> {
  const writer = await openEventWriter({ path: freshPath(dir, `ours-${producers}`), durability });
  const latenciesMs: number[] = [];
  let events = 0;
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const start = performance.now();
  const deadline = start + seconds * 1000;
  histogram.enable();
  await Promise.all(
    Array.from({ length: producers }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await writer.emit(INPUT);
        latenciesMs.push(performance.now() - t0);
        events++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  histogram.disable();
  const { batches } = writerStats(writer);
  await writer.close();
  return { eventsPerSecond: events / elapsed, latenciesMs: latenciesMs.sort((a, b) => a - b), loopDelayP99Ms: histogram.percentile(99) / 1e6, batches };
}

/**
 * The same producers and the same group commit, but fdatasync called
 * synchronously on the main thread: what "no event-loop stalls" is measured against.
 */
async function mainThreadFsyncProducers(dir: string, producers: number, seconds: number): Promise<{ eventsPerSecond: number; loopDelayP99Ms: number }> {
  const fd = openSync(freshPath(dir, "main-thread"), APPEND, 0o600);
  let queue: { line: string; resolve: () => void }[] = [];
  let scheduled = false;
  const commit = (): void => {
    scheduled = false;
    const batch = queue;
    queue = [];
    writeSync(fd, batch.map((e) => e.line).join(""));
    fdatasyncSync(fd);
    for (const entry of batch) entry.resolve();
  };
  const emit = (input: EventInput): Promise<void> =>
    new Promise((resolve) => {
      queue.push({ line: `${serializeEvent(createEvent(input))}\n`, resolve });
      if (!scheduled) {
        scheduled = true;
        setImmediate(commit);
      }
    });
  let events = 0;
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const start = performance.now();
  const deadline = start + seconds * 1000;
  histogram.enable();
  await Promise.all(
    Array.from({ length: producers }, async () => {
      while (performance.now() < deadline) {
        await emit(INPUT);
        events++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  histogram.disable();
  closeSync(fd);
  return { eventsPerSecond: events / elapsed, loopDelayP99Ms: histogram.percentile(99) / 1e6 };
}

/** Fire-and-forget in chunks of 1,000 (yielding between chunks), until everything is in the file. */
async function buffered(dir: string, total: number): Promise<number> {
  const writer = await openEventWriter({ path: freshPath(dir, "ours-buffered"), durability: "write" });
  const start = performance.now();
  let last: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < total; i += 1000) {
    for (let j = 0; j < 1000; j++) last = writer.emit(INPUT);
    await yieldToEventLoop();
  }
  await last;
  const elapsed = (performance.now() - start) / 1000;
  await writer.close();
  return total / elapsed;
}

async function pinoBuffered(dir: string, total: number, sync: boolean): Promise<number> {
  const dest = pino.destination({ dest: freshPath(dir, sync ? "pino-sync" : "pino-async"), sync, minLength: sync ? 0 : 4096 });
  await new Promise<void>((resolve) => (dest.fd > 0 ? resolve() : dest.once("ready", () => resolve())));
  // No base fields or time: pino then writes the same object plus only its level.
  const logger = pino({ base: null, timestamp: false }, dest);
  const start = performance.now();
  for (let i = 0; i < total; i += 1000) {
    for (let j = 0; j < 1000; j++) logger.info(INPUT);
    await yieldToEventLoop();
  }
  await new Promise<void>((resolve, reject) => dest.flush((error) => (error ? reject(error) : resolve())));
  const elapsed = (performance.now() - start) / 1000;
  dest.end();
  return total / elapsed;
}

function fmt(value: number, digits = 0): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export const writerBench: BenchArea = async ({ quick, dir }) => {
  const seconds = quick ? 0.15 : 3;
  const bufferedTotal = quick ? 5_000 : 200_000;
  const rows: BenchRow[] = [];
  const notes: string[] = [`event line: ${LINE_BYTES} bytes; each figure is a ${seconds} s run on the same disk`];

  const raw = rawLimit(dir, seconds);
  const original = originalDesign(dir, seconds);
  const perEvent = await writeFsyncPerEvent(dir, seconds);
  const ours = new Map<number, ProducerRun>();
  for (const producers of [1, 10, 100, 1000]) ours.set(producers, await durableProducers(dir, producers, seconds));
  const mainThread = await mainThreadFsyncProducers(dir, 1000, seconds);
  // Warm both buffered paths once so neither pays for JIT in its measured run.
  await buffered(dir, 2000);
  await pinoBuffered(dir, 2000, false);
  const oursBuffered = await buffered(dir, bufferedTotal);
  const pinoAsync = await pinoBuffered(dir, bufferedTotal, false);
  const pinoSync = await pinoBuffered(dir, bufferedTotal, true);

  for (const [producers, run] of ours) {
    rows.push({ name: `durable events/s, ${producers} producer${producers === 1 ? "" : "s"}`, ours: run.eventsPerSecond, baseline: raw, baselineName: "raw limit (1,000 lines + 1 fdatasync)", unit: "ev/s" });
    rows.push({ name: `durable events/s, ${producers} producer${producers === 1 ? "" : "s"}`, ours: run.eventsPerSecond, baseline: original, baselineName: "original (open/write/fsync/close)", unit: "ev/s" });
    notes.push(`${producers} producers: ${run.batches} batches, ${fmt(run.eventsPerSecond * seconds / Math.max(1, run.batches), 1)} events per fdatasync`);
  }
  const one = ours.get(1);
  const hundred = ours.get(100);
  const thousand = ours.get(1000);
  if (one === undefined || hundred === undefined || thousand === undefined) throw new Error("writer bench: a producer run is missing");
  rows.push({ name: "durable events/s, 1 awaited producer", ours: one.eventsPerSecond, baseline: perEvent, baselineName: "write + fdatasync per event", unit: "ev/s" });
  for (const p of [50, 99, 100] as const) {
    const label = p === 100 ? "max" : `p${p}`;
    rows.push({ name: `emit latency ${label}, 100 producers`, ours: p === 100 ? hundred.latenciesMs.at(-1) ?? Number.NaN : percentile(hundred.latenciesMs, p), baseline: 1000 / perEvent, baselineName: "one write + fdatasync", unit: "ms" });
  }
  rows.push({ name: "event-loop delay p99, 1,000 durable producers", ours: thousand.loopDelayP99Ms, baseline: mainThread.loopDelayP99Ms, baselineName: "same loop, fdatasync on main thread", unit: "ms" });
  rows.push({ name: "buffered (\"write\") events/s", ours: oursBuffered, baseline: pinoAsync, baselineName: "pino destination sync:false", unit: "ev/s" });
  rows.push({ name: "buffered (\"write\") events/s", ours: oursBuffered, baseline: pinoSync, baselineName: "pino destination sync:true", unit: "ev/s" });
  notes.push(`main-thread-fsync design at 1,000 producers: ${fmt(mainThread.eventsPerSecond)} ev/s`);

  const goals: BenchGoal[] = [
    {
      description: "1,000 producers >= 50% of the raw limit",
      met: thousand.eventsPerSecond >= 0.5 * raw,
      detail: `${fmt(thousand.eventsPerSecond)} vs ${fmt(raw)} ev/s = ${fmt((100 * thousand.eventsPerSecond) / raw, 1)}%`,
    },
    {
      description: "1,000 producers >= 100x the original design",
      met: thousand.eventsPerSecond >= 100 * original,
      detail: `${fmt(thousand.eventsPerSecond)} vs ${fmt(original)} ev/s = ${fmt(thousand.eventsPerSecond / original, 1)}x`,
    },
    {
      description: "single awaited producer within 10% of one write+fdatasync per event",
      met: one.eventsPerSecond >= 0.9 * perEvent,
      detail: `${fmt(one.eventsPerSecond)} vs ${fmt(perEvent)} ev/s = ${fmt((100 * one.eventsPerSecond) / perEvent, 1)}%`,
    },
    {
      description: "event-loop delay p99 < 10 ms with 1,000 durable producers",
      met: thousand.loopDelayP99Ms < 10,
      detail: `${fmt(thousand.loopDelayP99Ms, 2)} ms (main-thread fsync: ${fmt(mainThread.loopDelayP99Ms, 2)} ms)`,
    },
    {
      description: "buffered >= pino async",
      met: oursBuffered >= pinoAsync,
      detail: `${fmt(oursBuffered)} vs ${fmt(pinoAsync)} ev/s = ${fmt(oursBuffered / pinoAsync, 2)}x (ours validates every event with the schema; pino does not)`,
    },
  ];
  return { title: "@telemetry/writer", rows, goals, notes };
};
