// The public writer: validate at emit (bad input never reaches the file),
// redact, queue for group commit, acknowledge per the durability mode. One
// shared core per file; the root writer and its children are views on it.
import { createEvent, createEventLine, parseEventBindings, serializeEvent, type EventBindings, type EventInput, type TelemetryEvent } from "@telemetry/schema";
import { applyBindings, mergeFields } from "./bindings.js";
import { WriterError } from "./errors.js";
import { addExitHook, removeExitHook } from "./exit-hook.js";
import { GroupCommit } from "./group-commit.js";
import { LogFile } from "./log-file.js";
import { resolveOptions, type Durability, type ResolvedOptions, type WriterOptions } from "./options.js";
import { RecordErrorReport, type RecordErrorHandler } from "./record-error-report.js";
import { compileRedaction } from "./redaction.js";

export interface EventWriter extends AsyncDisposable {
  /** The absolute path of the log file. */
  readonly path: string;
  readonly durability: Durability;
  /** True once `close()` has been called on this writer or on a writer it descends from. */
  readonly closed: boolean;
  /**
   * Validates `input` (rejecting with `EventValidationError`, nothing
   * written), fills `ts` and `event_id` when absent, and resolves with the
   * stored event once its line is written and, with "fsync" durability,
   * fdatasync'd. Rejects with a `WriterError` carrying the OS code
   * (`ENOSPC`, `EIO`, ...) when the disk refuses, `QUEUE_FULL` past the
   * memory bound, `EVENT_TOO_LARGE`, or `WRITER_CLOSED` after close.
   * For callers that must know the event is stored before they go on.
   */
  emit(input: EventInput): Promise<TelemetryEvent>;
  /**
   * `emit` for many events at once, for bulk appends (an import). Each input
   * is validated, redacted and serialized during the call, in order; an
   * invalid one (`EventValidationError`, `EVENT_TOO_LARGE`) or a closed
   * writer (`WRITER_CLOSED`) makes the call throw, synchronously, with
   * nothing of the batch queued: the caller knows before it queues anything
   * else. Otherwise the lines are queued in order, in units of up to 48 KiB
   * (and of at most `maxSizeBytes`, so a rotation may come up to one unit
   * early), and written with one write(2) and, with "fsync" durability, one
   * fdatasync (a batch larger than 16 MiB takes more than one),
   * and the promise resolves with how many were stored, or rejects with the
   * disk's `WriterError` (`ENOSPC`, `QUEUE_FULL`, ...). Only the joined
   * lines wait for the disk: no promise or object per event outlives the call.
   */
  emitBatch(inputs: readonly EventInput[]): Promise<number>;
  /**
   * Fire-and-forget `emit`: the same validation, redaction and durability,
   * but it returns nothing, never throws and never leaves a rejected promise
   * behind, whatever the input and whatever the disk does. Every failure goes
   * to the `onError` option (default: one stderr line per error code);
   * `writerStats(writer)` counts `recorded` and `failed`.
   */
  record(input: EventInput): void;
  /**
   * A writer whose events carry `bindings` under their own fields (the
   * event wins on a conflict; `attributes`, `log_paths` and `metrics` merge
   * member by member). Bindings are validated here, once: an unknown or bad
   * field throws `EventValidationError`. The child shares this writer's file
   * and queue; its `flush()` is the shared barrier, its `close()` waits for
   * that barrier and closes the child (and its children) only. The file is
   * closed by the writer `openEventWriter` returned.
   */
  child(bindings: EventBindings): EventWriter;
  /**
   * Resolves once every event emitted or recorded before the call (through
   * this writer, its parent or any child) has settled, with everything stored
   * fdatasync'd in both durability modes: a barrier for "write" callers. A
   * failed emit is reported by its own promise, not by `flush`.
   */
  flush(): Promise<void>;
  /**
   * Flushes, then closes; idempotent. Later `emit`s reject with
   * `WRITER_CLOSED` (`record`s report it). On the root writer this closes
   * the file and every child; on a child, that child and its descendants.
   */
  close(): Promise<void>;
  /** `close()`, for `await using writer = await openEventWriter(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Statistics for tests and benchmarks: how well group commit coalesces. */
export interface EventWriterStats {
  /** Batches written, each with one write(2). */
  readonly batches: number;
  /** fdatasync calls made for batches and barriers. */
  readonly syncs: number;
  /**
   * Of `syncs`, those made on the main thread: a batch of one event whose
   * producer waits, while recent syncs averaged under 2 ms (a thread-pool
   * round trip would cost more than the loop is held). The rest ran on the
   * libuv thread pool.
   */
  readonly inlineSyncs: number;
  /**
   * Longest write(2) of a batch so far, in milliseconds. The write is
   * synchronous (into the page cache, so a crash right after loses nothing);
   * a file system that blocks appends behind its journal shows here.
   */
  readonly slowestWriteMs: number;
  /** `record` calls whose event was stored (through this file's writer and all its children). */
  readonly recorded: number;
  /** `record` calls that failed, each reported to `onError`. */
  readonly failed: number;
}

interface PreparedEvent {
  readonly event: TelemetryEvent;
  readonly line: string;
  readonly bytes: number;
}

/** Below V8's large-object threshold (128 KiB) even for a two-byte string. */
const MAX_BATCH_UNIT_BYTES = 48 * 1024;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** What the root writer and its children share: the file, the queue, the counts. */
class WriterCore {
  readonly path: string;
  readonly durability: Durability;
  /** Entries carry the event `emit` resolves with; `emitBatch` units carry none. */
  readonly commit: GroupCommit<TelemetryEvent | undefined>;
  private readonly file: LogFile;
  private readonly maxEventBytes: number;
  readonly maxSizeBytes: number;
  private readonly redact: ((event: TelemetryEvent) => TelemetryEvent) | undefined;
  private readonly onError: RecordErrorHandler | undefined;
  private readonly report: RecordErrorReport;
  private readonly exitHook: () => void;
  recorded = 0;
  failed = 0;
  /** Bound once, so `record` allocates no closure for its success path. */
  readonly onRecorded = (): void => {
    this.recorded++;
  };

  constructor(file: LogFile, options: ResolvedOptions) {
    this.file = file;
    this.path = file.path;
    this.durability = options.durability;
    this.maxEventBytes = options.maxEventBytes;
    this.maxSizeBytes = options.maxSizeBytes;
    this.redact = compileRedaction(options.redact, options.privacyLevel);
    this.onError = options.onError;
    this.report = new RecordErrorReport(file.path);
    this.commit = new GroupCommit<TelemetryEvent | undefined>(file, { syncEachBatch: options.durability === "fsync", maxQueueBytes: options.maxQueueBytes, path: file.path });
    this.exitHook = () => this.commit.flushOnExit();
    addExitHook(this.exitHook);
  }

  /** Validates, redacts and serializes. @throws {EventValidationError} {WriterError} EVENT_TOO_LARGE */
  prepare(input: unknown): PreparedEvent {
    const created = createEvent(input as EventInput);
    const event = this.redact === undefined ? created : this.redact(created);
    const line = `${serializeEvent(event)}\n`;
    const bytes = Buffer.byteLength(line);
    if (bytes > this.maxEventBytes) {
      throw new WriterError("EVENT_TOO_LARGE", `event ${event.event_id} (${event.event}) serializes to ${bytes} bytes, more than maxEventBytes (${this.maxEventBytes}); nothing was written`, {
        path: this.path,
      });
    }
    return { event, line, bytes };
  }

  /**
   * `prepare` for callers that need the line only (emitBatch): without
   * redaction, the schema serializes the input straight to its line, with
   * no event object built, copied and frozen per input.
   * @throws {EventValidationError} {WriterError} EVENT_TOO_LARGE
   */
  prepareLine(input: unknown): { line: string; bytes: number } {
    if (this.redact !== undefined) return this.prepare(input);
    const line = `${createEventLine(input as EventInput)}\n`;
    const bytes = Buffer.byteLength(line);
    // Too large: `prepare` throws the same EVENT_TOO_LARGE that emit would.
    return bytes > this.maxEventBytes ? this.prepare(input) : { line, bytes };
  }

  closedError(): WriterError {
    return new WriterError("WRITER_CLOSED", `emit after close(): the writer for ${this.path} is closed`, { path: this.path });
  }

  /** A failed `record`: counted, then handed to `onError` outside the caller's stack. */
  recordFailed(error: unknown, input: unknown): void {
    this.failed++;
    const failure = asError(error);
    queueMicrotask(() => {
      if (this.onError === undefined) {
        this.report.report(failure);
        return;
      }
      try {
        // An async handler's rejection would otherwise be an unhandled rejection: the very thing record prevents.
        const returned: unknown = this.onError(failure, input);
        if (returned instanceof Promise) returned.catch((handlerError: unknown) => this.report.report(asError(handlerError)));
      } catch (handlerError) {
        this.report.report(asError(handlerError));
      }
    });
  }

  close(): Promise<void> {
    return (async () => {
      try {
        await this.commit.barrier(true);
      } finally {
        removeExitHook(this.exitHook);
        this.report.flush();
        this.file.close();
      }
    })();
  }

  get stats(): EventWriterStats {
    const { batches, syncs, inlineSyncs, slowestWriteMs } = this.commit;
    return { batches, syncs, inlineSyncs, slowestWriteMs, recorded: this.recorded, failed: this.failed };
  }
}

class FileEventWriter implements EventWriter {
  readonly path: string;
  readonly durability: Durability;
  private readonly core: WriterCore;
  private readonly parent: FileEventWriter | undefined;
  private readonly bindings: EventBindings | undefined;
  private closing: Promise<void> | undefined;

  constructor(core: WriterCore, parent?: FileEventWriter, bindings?: EventBindings) {
    this.core = core;
    this.path = core.path;
    this.durability = core.durability;
    this.parent = parent;
    this.bindings = bindings;
  }

  get closed(): boolean {
    return this.closing !== undefined || (this.parent?.closed ?? false);
  }

  get stats(): EventWriterStats {
    return this.core.stats;
  }

  private prepare(input: EventInput): PreparedEvent {
    return this.core.prepare(this.bindings === undefined ? input : applyBindings(this.bindings, input));
  }

  emit(input: EventInput): Promise<TelemetryEvent> {
    if (this.closed) return Promise.reject(this.core.closedError());
    let prepared: PreparedEvent;
    try {
      prepared = this.prepare(input);
    } catch (error) {
      return Promise.reject(asError(error));
    }
    // emit enqueues its event, so the value it resolves with is never undefined.
    return new Promise((resolve, reject) => this.core.commit.enqueue(prepared.line, prepared.bytes, prepared.event, resolve as (event: TelemetryEvent | undefined) => void, reject));
  }

  emitBatch(inputs: readonly EventInput[]): Promise<number> {
    if (this.closed) throw this.core.closedError();
    const chunks: { line: string; bytes: number }[] = [];
    // Units never larger than a file may hold, so rotation keeps its bound,
    // and small enough to be ordinary young-generation strings: a larger one
    // goes to V8's large-object space, which only a full GC frees, and
    // hundreds of batches of those grow the heap by hundreds of MB between
    // full GCs. Joined once per unit: a string grown by += is a rope of
    // every line, flattened only at the write.
    const maxChunkBytes = Math.min(this.core.maxSizeBytes, MAX_BATCH_UNIT_BYTES);
    let lines: string[] = [];
    let bytes = 0;
    for (const input of inputs) {
      const prepared = this.core.prepareLine(this.bindings === undefined ? input : applyBindings(this.bindings, input));
      if (lines.length > 0 && bytes + prepared.bytes > maxChunkBytes) {
        chunks.push({ line: lines.join(""), bytes });
        lines = [];
        bytes = 0;
      }
      lines.push(prepared.line);
      bytes += prepared.bytes;
    }
    if (lines.length > 0) chunks.push({ line: lines.join(""), bytes });
    if (chunks.length === 0) return Promise.resolve(0);
    return new Promise((resolve, reject) => {
      let pending = chunks.length;
      let failed = false;
      const stored = (): void => {
        if (--pending === 0 && !failed) resolve(inputs.length);
      };
      const refused = (error: unknown): void => {
        if (failed) return;
        failed = true;
        reject(asError(error));
      };
      for (const chunk of chunks) this.core.commit.enqueue(chunk.line, chunk.bytes, undefined, stored, refused);
    });
  }

  record(input: EventInput): void {
    const core = this.core;
    try {
      if (this.closed) throw core.closedError();
      const prepared = this.prepare(input);
      core.commit.enqueue(prepared.line, prepared.bytes, prepared.event, core.onRecorded, (error) => core.recordFailed(error, input));
    } catch (error) {
      core.recordFailed(error, input);
    }
  }

  child(bindings: EventBindings): EventWriter {
    const valid = parseEventBindings(bindings);
    return new FileEventWriter(this.core, this, this.bindings === undefined ? valid : (mergeFields(this.bindings, valid)));
  }

  flush(): Promise<void> {
    return this.core.commit.barrier(true);
  }

  close(): Promise<void> {
    this.closing ??= this.parent === undefined ? this.core.close() : this.flush();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
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
  return new FileEventWriter(new WriterCore(file, resolved));
}

/** Group-commit and `record` statistics of a writer returned by `openEventWriter` (or a child of one; the counts are shared). */
export function writerStats(writer: EventWriter): EventWriterStats {
  if (!(writer instanceof FileEventWriter)) throw new TypeError("writerStats: not a writer returned by openEventWriter");
  return writer.stats;
}
