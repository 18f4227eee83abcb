// Progress for a command that reads a whole log, drawn from the moment the
// read starts. verify counts events of an estimated total: readEvents
// streams events, not byte offsets, so the total is the size of the log's
// files divided by the average line size, measured by serializing one event
// in 256 (a line is its event serialized, plus "\n"; within a few percent,
// as re-serialization normalizes only spacing). query and stats count bytes
// of the log, which queryEvents reports: its pre-filter skips most events
// of a filtered query unseen, so events would not measure the work.
import { stat } from "node:fs/promises";
import { listLogFiles, type ReadProgress } from "@telemetry/reader";
import { serializeEvent, type TelemetryEvent } from "@telemetry/schema";
import type { Progress } from "./progress-line.js";

const SAMPLE_EVERY = 256;
/** Redraws are throttled by the progress line; this only bounds the bookkeeping. */
const REPORT_EVERY = 1024;

export interface LogProgress {
  /** Call for every event read. */
  onEvent(event: TelemetryEvent): void;
  /** The final count, with total = done. */
  done(): void;
}

/** The byte size of the log's files (rotated ones too, unless `rotated` is false). */
async function logBytes(path: string, rotated: boolean): Promise<number> {
  let bytes = 0;
  for (const file of await listLogFiles(path, rotated)) {
    try {
      bytes += (await stat(file)).size;
    } catch {
      // Renamed or deleted since the listing: the estimate just shrinks.
    }
  }
  return bytes;
}

export async function trackLogProgress(progress: Progress, options: { path: string; phase: string; rotated?: boolean }): Promise<LogProgress> {
  const bytes = await logBytes(options.path, options.rotated ?? true);
  let events = 0;
  let sampledBytes = 0;
  let samples = 0;
  const report = (): void => {
    const estimate = samples === 0 ? undefined : Math.round(bytes / (sampledBytes / samples));
    // The estimate never reads as less than what was already done.
    progress.update({ phase: options.phase, done: events, total: estimate === undefined ? undefined : Math.max(estimate, events + 1), unit: "events", estimated: true });
  };
  progress.update({ phase: options.phase, done: 0, total: undefined, unit: "events" });
  return {
    onEvent(event) {
      if (events % SAMPLE_EVERY === 0) {
        sampledBytes += serializeEvent(event).length + 1;
        samples++;
      }
      events++;
      if (events % REPORT_EVERY === 0) report();
    },
    done() {
      progress.update({ phase: options.phase, done: events, total: events, unit: "events" });
    },
  };
}

export interface LogBytesProgress {
  /** Pass as queryEvents' `onRead`. */
  readonly onRead: (read: ReadProgress) => void;
  /** The final count, with total = done. */
  done(): void;
}

/** Progress in bytes of the log read, for commands reading through queryEvents. */
export async function trackLogBytes(progress: Progress, options: { path: string; phase: string; rotated?: boolean }): Promise<LogBytesProgress> {
  let total = await logBytes(options.path, options.rotated ?? true);
  let done = 0;
  progress.update({ phase: options.phase, done, total, unit: "bytes" });
  return {
    onRead(read) {
      done = read.bytes;
      // The live file may have grown since it was measured: never past 100% before the end.
      total = Math.max(read.totalBytes, done + 1);
      progress.update({ phase: options.phase, done, total, unit: "bytes" });
    },
    done() {
      progress.update({ phase: options.phase, done, total: done, unit: "bytes" });
    },
  };
}
