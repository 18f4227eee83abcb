// The public writer: validate at emit (bad input never reaches the file),
// queue for group commit, acknowledge per the durability mode.
import { createEvent, serializeEvent, type EventInput, type TelemetryEvent } from "@telemetry/schema";
import { WriterError } from "./errors.js";
import { addExitHook, removeExitHook } from "./exit-hook.js";
import { GroupCommit } from "./group-commit.js";
import { LogFile } from "./log-file.js";
import { resolveOptions, type Durability, type WriterOptions } from "./options.js";

export interface EventWriter {
  /** The absolute path of the log file. */
  readonly path: string;
  readonly durability: Durability;
  /** True once `close()` has been called. */
  readonly closed: boolean;
  /**
   * Validates `input` (rejecting with `EventValidationError`, nothing
   * written), fills `ts` and `event_id` when absent, and resolves with the
   * stored event once its line is written and, with "fsync" durability,
   * fdatasync'd. Rejects with a `WriterError` carrying the OS code
   * (`ENOSPC`, `EIO`, ...) when the disk refuses, `QUEUE_FULL` past the
   * memory bound, `EVENT_TOO_LARGE`, or `WRITER_CLOSED` after close.
   */
  emit(input: EventInput): Promise<TelemetryEvent>;
  /**
   * Resolves once every event emitted before the call has settled (stored, or
   * rejected to its own `emit` caller), with everything stored fdatasync'd in
   * both durability modes: a barrier for "write" callers. A failed emit is
   * reported by its own promise, not by `flush`.
   */
  flush(): Promise<void>;
  /** Flushes, then closes the file. Idempotent; later emits reject with WRITER_CLOSED. */
  close(): Promise<void>;
}

/** Statistics for tests and benchmarks: how well group commit coalesces. */
export interface EventWriterStats {
  /** Batches written, each with one write(2). */
  readonly batches: number;
  /** fdatasync calls made for batches and barriers. */
  readonly syncs: number;
  /**
   * Longest write(2) of a batch so far, in milliseconds. The write is
   * synchronous (into the page cache, so a crash right after loses nothing);
   * a file system that blocks appends behind its journal shows here.
   */
  readonly slowestWriteMs: number;
}

class FileEventWriter implements EventWriter {
  readonly path: string;
  readonly durability: Durability;
  private readonly maxEventBytes: number;
  private readonly file: LogFile;
  private readonly commit: GroupCommit<TelemetryEvent>;
  private readonly exitHook: () => void;
  private closing: Promise<void> | undefined;

  constructor(file: LogFile, durability: Durability, maxEventBytes: number, maxQueueBytes: number) {
    this.file = file;
    this.path = file.path;
    this.durability = durability;
    this.maxEventBytes = maxEventBytes;
    this.commit = new GroupCommit(file, { syncEachBatch: durability === "fsync", maxQueueBytes, path: file.path });
    this.exitHook = () => this.commit.flushOnExit();
    addExitHook(this.exitHook);
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  get stats(): EventWriterStats {
    return { batches: this.commit.batches, syncs: this.commit.syncs, slowestWriteMs: this.commit.slowestWriteMs };
  }

  emit(input: EventInput): Promise<TelemetryEvent> {
    if (this.closing !== undefined) {
      return Promise.reject(new WriterError("WRITER_CLOSED", `emit after close(): the writer for ${this.path} is closed`, { path: this.path }));
    }
    let event: TelemetryEvent;
    let line: string;
    try {
      event = createEvent(input);
      line = `${serializeEvent(event)}\n`;
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const bytes = Buffer.byteLength(line);
    if (bytes > this.maxEventBytes) {
      return Promise.reject(
        new WriterError("EVENT_TOO_LARGE", `event ${event.event_id} (${event.event}) serializes to ${bytes} bytes, more than maxEventBytes (${this.maxEventBytes}); nothing was written`, {
          path: this.path,
        }),
      );
    }
    return this.commit.enqueue(line, bytes, event);
  }

  flush(): Promise<void> {
    return this.commit.barrier(true);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.commit.barrier(true);
      } finally {
        removeExitHook(this.exitHook);
        this.file.close();
      }
    })();
    return this.closing;
  }
}

/**
 * Opens (creating it and its parent directories) the log at `options.path`
 * for durable appends. A torn last line left by a crash is repaired with "\n"
 * before the first event. Rejects with `INVALID_OPTION` for bad options and
 * with the OS code (`EACCES`, ...) when the file cannot be created or opened.
 */
export async function openEventWriter(options: WriterOptions): Promise<EventWriter> {
  const resolved = resolveOptions(options);
  const file = new LogFile(resolved);
  try {
    await file.open();
  } catch (error) {
    file.close();
    throw error;
  }
  return new FileEventWriter(file, resolved.durability, resolved.maxEventBytes, resolved.maxQueueBytes);
}

/** Group-commit statistics of a writer returned by `openEventWriter`. */
export function writerStats(writer: EventWriter): EventWriterStats {
  if (!(writer instanceof FileEventWriter)) throw new TypeError("writerStats: not a writer returned by openEventWriter");
  return writer.stats;
}
