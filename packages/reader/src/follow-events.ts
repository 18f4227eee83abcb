// Follow mode: yields a log's events as they are appended, across rotations
// and truncations, with a checkpoint per event to resume from after a restart.
// Polls (fs.watch misses events across renames on several platforms).
import { Buffer } from "node:buffer";
import { open, type FileHandle } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { TelemetryEvent } from "@telemetry/schema";
import { ChunkParser, type ParsedLine } from "./chunk-parser.js";
import { HEAD_BYTES, isCheckpoint, isCheckpointFile, readHead, type Checkpoint, type FileIdentity } from "./checkpoint.js";
import { CheckpointNotFoundError, InvalidCheckpointError } from "./follow-errors.js";
import type { InvalidLine } from "./invalid-line.js";
import { LogNotFoundError } from "./log-not-found-error.js";
import { closeAll, inodeOf, openLogFiles, type OpenLogFile } from "./open-log.js";
import { READ_CHUNK_BYTES } from "./read-file.js";

export interface FollowOptions {
  /** Aborting ends the iteration cleanly (no error), closing every file. */
  readonly signal?: AbortSignal;
  /**
   * `"start"` (default): every event of the log, rotated files first, then new
   * ones. `"end"`: only events completed after the call. A `Checkpoint`: the
   * events after it, even if the file has been rotated since.
   */
  readonly from?: "start" | "end" | Checkpoint;
  /** How often to look for appended bytes and rotations, in ms. Default 200. */
  readonly pollIntervalMs?: number;
  /** Called for every skipped line. A torn last line is reported only once its file is rotated away. */
  readonly onInvalid?: (issue: InvalidLine) => void;
  /** Longer lines are reported and skipped without being buffered whole. Default 1 MiB. */
  readonly maxLineBytes?: number;
}

export interface FollowedEvent {
  readonly event: TelemetryEvent;
  readonly checkpoint: Checkpoint;
}

/** One file being read: an open handle (so a rename does not lose it) and a parser at its position. */
class TrackedFile {
  readonly #buffer: Buffer;
  #parser: ChunkParser;
  #position: number;
  #head: string | undefined;

  constructor(
    readonly name: string,
    readonly handle: FileHandle,
    readonly dev: bigint,
    readonly ino: bigint,
    private readonly options: FollowOptions,
    start: { offset: number; line: number; head?: string },
    buffer: Buffer,
  ) {
    this.#buffer = buffer;
    this.#position = start.offset;
    this.#head = start.head;
    this.#parser = this.#newParser(start.offset, start.line);
  }

  #newParser(offset: number, line: number): ChunkParser {
    const max = this.options.maxLineBytes;
    return new ChunkParser(max === undefined ? { file: this.name, offset, line } : { file: this.name, offset, line, maxLineBytes: max });
  }

  /** Reads from the current position to the end of the file as it is now. */
  async *drain(signal: AbortSignal | undefined): AsyncGenerator<FollowedEvent> {
    const size = Number((await this.handle.stat({ bigint: true })).size);
    // Truncated in place, possibly re-grown past our position since the last look.
    const replaced = this.#head !== undefined && (await readHead(this.handle, Buffer.from(this.#head, "base64").length)) !== this.#head;
    if (size < this.#position || replaced) {
      // Whatever is there now was written after the truncation: start over.
      this.#position = 0;
      this.#head = undefined;
      this.#parser = this.#newParser(0, 0);
    }
    for (;;) {
      if (signal?.aborted) return;
      const { bytesRead } = await this.handle.read(this.#buffer, 0, this.#buffer.length, this.#position);
      if (bytesRead === 0) return;
      this.#position += bytesRead;
      yield* this.#emit(this.#parser.push(this.#buffer.subarray(0, bytesRead)));
    }
  }

  /** The file will not grow any more (rotated away): report its torn tail, if any. */
  async *finish(): AsyncGenerator<FollowedEvent> {
    yield* this.#emit(this.#parser.end());
  }

  async *#emit(items: ParsedLine[]): AsyncGenerator<FollowedEvent> {
    for (const item of items) {
      // Nothing more once aborted, even from a chunk already parsed.
      if (this.options.signal?.aborted) return;
      if (item.type === "invalid") {
        this.options.onInvalid?.(item.issue);
        continue;
      }
      this.#head ??= await readHead(this.handle, Math.min(HEAD_BYTES, item.end));
      const file: FileIdentity = { dev: String(this.dev), ino: String(this.ino), head: this.#head };
      yield { event: item.event, checkpoint: { file, offset: item.end, line: item.line } };
    }
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}


/** Lines and the offset just past the last complete line, for starting at the end. */
async function lastCompleteLine(handle: FileHandle, buffer: Buffer): Promise<{ offset: number; line: number }> {
  let offset = 0;
  let line = 0;
  for (let position = 0; ; ) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    for (let i = buffer.indexOf(0x0a, 0); i !== -1 && i < bytesRead; i = buffer.indexOf(0x0a, i + 1)) {
      line++;
      offset = position + i + 1;
    }
    position += bytesRead;
  }
  return { offset, line };
}

/**
 * Yields the log's events with a checkpoint each, then waits for more.
 * Survives rotation (finishes the rotated file, then reads any newer rotated
 * file, then the new live file: no loss, no duplicates) and truncation
 * (starts over at byte 0). A torn last line is waited for, not reported.
 * Ends when `signal` aborts.
 * @throws {LogNotFoundError} when the log does not exist at the start.
 * @throws {CheckpointNotFoundError} when resuming from a checkpoint whose file is gone.
 */
export async function* followEvents(path: string, options: FollowOptions = {}): AsyncGenerator<FollowedEvent, void, undefined> {
  const { signal } = options;
  const from = options.from ?? "start";
  if (from !== "start" && from !== "end" && !isCheckpoint(from)) throw new InvalidCheckpointError(from);
  const pollMs = options.pollIntervalMs ?? 200;
  const buffer = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
  const track = (file: OpenLogFile, start: { offset: number; line: number; head?: string } = { offset: 0, line: 0 }): TrackedFile =>
    new TrackedFile(file.file, file.handle, file.dev, file.ino, options, start, buffer);
  /** Files to read to their end, oldest first, opened together so later renames cannot hide them. */
  let queue: TrackedFile[] = [];
  let current: TrackedFile | undefined;
  /** The last file finished, to find the files written after it. */
  let finished: { dev: bigint; ino: bigint } | undefined;

  /** Opens the files written after `finished`, oldest first; [] when the log has no file right now. */
  const successors = async (): Promise<TrackedFile[]> => {
    let files: OpenLogFile[];
    try {
      files = await openLogFiles(path, true);
    } catch (error) {
      if (error instanceof LogNotFoundError) return [];
      throw error;
    }
    const index = finished === undefined ? -1 : files.findIndex((f) => f.dev === finished!.dev && f.ino === finished!.ino);
    // When our file is gone, retention deleted it; retention deletes oldest
    // first, so every file still there is newer and must be read (index -1: all).
    const keep = files.slice(index + 1);
    await closeAll(files.filter((f) => !keep.includes(f)));
    return keep.map((f) => track(f));
  };

  try {
    if (from === "start") {
      queue = (await openLogFiles(path, true)).map((f) => track(f));
    } else if (from === "end") {
      let handle: FileHandle;
      try {
        handle = await open(path, "r");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new LogNotFoundError(path, error);
        throw error;
      }
      try {
        const stats = await handle.stat({ bigint: true });
        current = new TrackedFile(path, handle, stats.dev, stats.ino, options, await lastCompleteLine(handle, buffer), buffer);
      } catch (error) {
        await handle.close();
        throw error;
      }
    } else {
      // The checkpoint's file may be the live one or any rotated one by now.
      let files: OpenLogFile[] = [];
      try {
        files = await openLogFiles(path, true);
      } catch (error) {
        if (!(error instanceof LogNotFoundError)) throw error;
      }
      let index = -1;
      try {
        for (let i = files.length - 1; i >= 0 && index === -1; i--) if (await isCheckpointFile(files[i]!.handle, from)) index = i;
      } catch (error) {
        await closeAll(files);
        throw error;
      }
      if (index === -1) {
        await closeAll(files);
        throw new CheckpointNotFoundError(path, from);
      }
      await closeAll(files.slice(0, index));
      current = track(files[index]!, { offset: from.offset, line: from.line, head: from.file.head });
      queue = files.slice(index + 1).map((f) => track(f));
    }

    for (;;) {
      if (signal?.aborted) return;
      current ??= queue.shift();
      if (current === undefined) {
        // Between a rotation and the creation of the new live file.
        queue = await successors();
        if (queue.length === 0 && !(await pause(pollMs, signal))) return;
        continue;
      }
      yield* current.drain(signal);
      if (signal?.aborted) return;
      if (queue.length > 0) {
        // A newer file exists, so this one is complete: a torn tail is final.
        yield* current.finish();
        finished = { dev: current.dev, ino: current.ino };
        await current.close();
        current = undefined;
        continue;
      }
      const live = await inodeOf(path);
      if (live?.dev === current.dev && live.ino === current.ino) {
        if (!(await pause(pollMs, signal))) return;
        continue;
      }
      // Rotated: our handle still reaches the old inode. Bytes written there
      // before the rename are read now; then it is finished, and every file
      // written after it (several rotations may have happened) comes next.
      yield* current.drain(signal);
      if (signal?.aborted) return;
      yield* current.finish();
      finished = { dev: current.dev, ino: current.ino };
      await current.close();
      current = undefined;
      queue = await successors();
    }
  } finally {
    await current?.close();
    for (const file of queue) await file.close();
  }
}

/** Waits, or returns false at once if `signal` aborts. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return false;
  try {
    await sleep(ms, undefined, signal === undefined ? {} : { signal });
    return true;
  } catch (error) {
    if ((error as Error).name === "AbortError") return false;
    throw error;
  }
}
