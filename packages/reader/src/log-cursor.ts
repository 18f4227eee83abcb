// The one mechanism that reads a live log: opens its files consistently,
// finds a checkpoint's file by identity and head bytes, follows rotations
// (also ones that happened, with retention deleting files, while nobody was
// reading), detects truncation by one rule, and reads each file through the
// one file-into-parser loop. followEvents, the CLI's tail -f, logger-compat's
// index and the server all read through it.
import { Buffer } from "node:buffer";
import { fstatSync, statSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import type { ParsedLine } from "./chunk-parser.js";
import { HEAD_BYTES, isCheckpoint, isSameFile, readHead, type Checkpoint, type FileIdentity } from "./checkpoint.js";
import type { CursorEntry, EventCursor, PollOptions, PollResult } from "./event-cursor.js";
import { CursorClosedError, InvalidCheckpointError } from "./follow-errors.js";
import type { InvalidLine } from "./invalid-line.js";
import { LogNotFoundError } from "./log-not-found-error.js";
import { closeAll, openLogFiles, type OpenLogFile } from "./open-log.js";
import { FileLines, READ_CHUNK_BYTES, SYNC_READ_BYTES } from "./read-file.js";

export type LogCursor = EventCursor<Checkpoint>;

/** The cursor could not go on exactly where it was: events written in between may be missing. */
export interface LogDiscontinuity {
  /**
   * `"truncated"`: a file shrank or its first bytes changed under the cursor
   * (or under a checkpoint): it is read again from byte 0. `"file_gone"`: the
   * checkpoint's file no longer exists (deleted by retention or by hand): the
   * cursor goes on with the oldest file still there.
   */
  readonly kind: "truncated" | "file_gone";
  /** The file's name when the cursor last saw it. */
  readonly file: string;
}

export interface LogCursorOptions {
  /**
   * `"start"` (default): every event of the log, rotated files first.
   * `"end"`: only lines completed after the open (a line being written at
   * that moment is returned once complete). A `Checkpoint`: the events after
   * it, wherever rotation has moved its file since.
   */
  readonly from?: "start" | "end" | Checkpoint;
  /** Longer lines are reported and skipped without being buffered whole. Default 1 MiB. */
  readonly maxLineBytes?: number;
  /**
   * Called for every skipped line. An unterminated last line is waited for
   * (it is being written), and reported as torn only once a newer file
   * exists. Lines after the last returned event are reported again by a
   * cursor resumed from that event's checkpoint.
   */
  readonly onInvalid?: (issue: InvalidLine) => void;
  /** Called when a truncation or a lost checkpoint file makes the cursor start a file over or skip ahead. */
  readonly onDiscontinuity?: (discontinuity: LogDiscontinuity) => void;
}

const DEFAULT_MAX_EVENTS = 1000;
/** Identities of finished files remembered, to find the files written after them. */
const SEEN_FILES = 64;

/** A file the cursor reads: where it was opened, what it is, and how far it has been read. */
interface TrackedFile {
  readonly name: string;
  readonly handle: FileHandle;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly lines: FileLines;
  /** Set once its first event (or a checkpoint in it) gave it a head; shared by every checkpoint in the file. */
  identity: FileIdentity | undefined;
  /** A newer file exists: this one will not grow, so its end is final. */
  sealed: boolean;
  /** Its size at the last poll's look (undefined before the first, and after a truncation). */
  lookedSize: number | undefined;
}

/** What the cursor remembers of a finished file. */
interface SeenFile {
  readonly dev: string;
  readonly ino: string;
  readonly head: string | undefined;
  readonly size: number;
}

class FileCursor implements LogCursor {
  readonly #path: string;
  readonly #options: LogCursorOptions;
  readonly #buffer = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
  #current: TrackedFile | undefined;
  #queue: TrackedFile[] = [];
  #seen: SeenFile[] = [];
  /** An event read past `maxEvents` to learn that the poll was not caught up; returned first by the next poll. */
  #pending: CursorEntry | undefined;
  #checkpoint: Checkpoint | undefined;
  /** The current file's size as seen at the start of this poll, or undefined before the look. */
  #size: number | undefined;
  /** Up to how many bytes this poll reads synchronously (see #look). */
  #syncBytes = SYNC_READ_BYTES;
  #busy: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(path: string, options: LogCursorOptions) {
    this.#path = path;
    this.#options = options;
  }

  get checkpoint(): Checkpoint | undefined {
    return this.#checkpoint;
  }

  /** Positions the cursor as `from` says; called once by openLogCursor. */
  async start(from: "start" | "end" | Checkpoint): Promise<void> {
    if (from === "start") {
      this.#queue = (await openLogFiles(this.#path, true)).map((f) => this.#track(f));
      return;
    }
    if (from === "end") {
      const files = await openLogFiles(this.#path, true);
      const newest = files.pop()!;
      await closeAll(files);
      try {
        const end = await lastCompleteLine(newest.handle, this.#buffer);
        const file = this.#track(newest, end);
        this.#current = file;
        if (end.offset > 0) {
          file.identity = { dev: String(newest.dev), ino: String(newest.ino), head: readHead(newest.handle.fd, Math.min(HEAD_BYTES, end.offset)) };
          this.#checkpoint = { file: file.identity, offset: end.offset, line: end.line };
        }
      } catch (error) {
        await newest.handle.close();
        throw error;
      }
      return;
    }
    this.#checkpoint = from;
    let files: OpenLogFile[] = [];
    try {
      files = await openLogFiles(this.#path, true);
    } catch (error) {
      // The checkpoint proves the log existed: wait for it to come back.
      if (!(error instanceof LogNotFoundError)) throw error;
    }
    try {
      // Found by device, inode and first bytes: an inode number alone is
      // soon reused by a new file once retention deleted the old one.
      const index = files.findLastIndex((f) => isSameFile(f.handle.fd, from.file, 0));
      if (index === -1) {
        // Retention deletes oldest first, so every file still there was written after the checkpoint's.
        if (files.length > 0) this.#options.onDiscontinuity?.({ kind: "file_gone", file: this.#path });
        this.#queue = files.map((f) => this.#track(f));
        return;
      }
      const found = files[index]!;
      for (const older of files.slice(0, index)) this.#remember(older, undefined, 0);
      await closeAll(files.slice(0, index));
      this.#queue = files.slice(index + 1).map((f) => this.#track(f));
      if (isSameFile(found.handle.fd, from.file, from.offset)) {
        this.#current = this.#track(found, from);
        this.#current.identity = from.file;
      } else {
        // Same file, fewer bytes than the checkpoint's offset: truncated.
        this.#options.onDiscontinuity?.({ kind: "truncated", file: found.file });
        this.#current = this.#track(found);
      }
    } catch (error) {
      await closeAll(files);
      throw error;
    }
  }

  poll(options: PollOptions = {}): Promise<PollResult> {
    const max = options.maxEvents ?? DEFAULT_MAX_EVENTS;
    if (!Number.isSafeInteger(max) || max < 1) {
      return Promise.reject(new RangeError(`poll: maxEvents must be an integer >= 1, received ${String(options.maxEvents)}`));
    }
    const run = this.#busy.then(() => this.#poll(max));
    this.#busy = run.catch(() => undefined);
    return run;
  }

  async #poll(max: number): Promise<PollResult> {
    if (this.#closed) throw new CursorClosedError(this.#path);
    this.#size = undefined;
    const events: CursorEntry[] = [];
    let entry = this.#pending;
    this.#pending = undefined;
    for (;;) {
      // Lines already read are taken without an await: one per event cost a
      // promise and a trip through the microtask queue each, more than the
      // rest of the cursor's work on that event.
      entry ??= this.#nextRead() ?? (await this.#nextEntry());
      if (entry === undefined) return { events, caughtUp: true };
      if (events.length === max) {
        this.#pending = entry;
        return { events, caughtUp: false };
      }
      events.push(entry);
      this.#checkpoint = entry.checkpoint;
      entry = undefined;
    }
  }

  /** The next event among the lines already read from the current file, or undefined: then #nextEntry() reads on. */
  #nextRead(): CursorEntry | undefined {
    const file = this.#current;
    if (file === undefined) return undefined;
    for (let item = file.lines.next(); item !== undefined; item = file.lines.next()) {
      const entry = this.#take(file, item);
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  /** The next event, reading and switching files as needed; undefined when no complete line is left now. */
  async #nextEntry(): Promise<CursorEntry | undefined> {
    for (;;) {
      let file = this.#current;
      if (file === undefined) {
        if (this.#queue.length === 0) this.#queue = await this.#successors();
        file = this.#queue.shift();
        if (file === undefined) return undefined;
        this.#current = file;
        this.#size = undefined;
      }
      const read = this.#nextRead();
      if (read !== undefined) return read;
      if (!file.sealed && this.#size === undefined) this.#size = this.#look(file);
      if (await file.lines.read(file.sealed ? undefined : this.#size, this.#syncBytes)) continue;
      if (!file.sealed) {
        if (this.#queue.length === 0 && this.#isLive(file)) return undefined;
        // Rotated (or deleted): the handle still reaches the file, and bytes
        // written to it before the rename are read now, to its very end.
        file.sealed = true;
        continue;
      }
      let last: CursorEntry | undefined;
      for (const rest of file.lines.end()) last = this.#take(file, rest) ?? last;
      this.#remember(file, file.identity?.head, file.lines.position);
      this.#current = undefined;
      await file.handle.close();
      if (last !== undefined) return last;
    }
  }

  /**
   * Once per poll: the file's size, after applying the truncation rule (the
   * file is smaller than what was read, or its first bytes changed: what is
   * there now was written after a truncation, so it is read from byte 0).
   */
  #look(file: TrackedFile): number {
    const size = Number(fstatSync(file.handle.fd, { bigint: true }).size);
    const known = file.identity;
    const headChanged = known !== undefined && known.head !== "" && readHead(file.handle.fd, Buffer.from(known.head, "base64").length) !== known.head;
    if (size < file.lines.position || headChanged) {
      this.#options.onDiscontinuity?.({ kind: "truncated", file: file.name });
      file.lines.restart();
      file.identity = undefined;
      file.lookedSize = undefined;
    }
    // Everything left to read was appended since the last poll looked: a
    // follower's usual case, and those bytes were just written, so they are
    // in the page cache. Up to a whole chunk is then read synchronously: a
    // round trip through the thread pool costs two thread wake-ups per poll
    // (~0.1 ms on a busy or virtualized machine), a copy of 1 MiB from the
    // page cache less. Other reads (history, a resumed checkpoint) keep the
    // small-append rule: those bytes may have to come from the disk.
    const fresh = file.lookedSize !== undefined && file.lines.position >= file.lookedSize;
    this.#syncBytes = fresh ? READ_CHUNK_BYTES : SYNC_READ_BYTES;
    file.lookedSize = size;
    return size;
  }

  /** Whether the log's path still names this file. */
  #isLive(file: TrackedFile): boolean {
    // Synchronous: a stat of a local file takes microseconds, a thread-pool round trip far more.
    const live = statSync(this.#path, { bigint: true, throwIfNoEntry: false });
    return live?.dev === file.dev && live.ino === file.ino;
  }

  #take(file: TrackedFile, item: ParsedLine): CursorEntry | undefined {
    if (item.type === "invalid") {
      this.#options.onInvalid?.(item.issue);
      return undefined;
    }
    file.identity ??= { dev: String(file.dev), ino: String(file.ino), head: readHead(file.handle.fd, Math.min(HEAD_BYTES, item.end)) };
    return { event: item.event, checkpoint: { file: file.identity, offset: item.end, line: item.line }, line: item.text };
  }

  #remember(file: OpenLogFile | TrackedFile, head: string | undefined, size: number): void {
    // Always with its first bytes: retention deletes files, and the next file
    // created often gets the freed inode; matched by inode alone, that new
    // file would be taken for one already read and skipped.
    head ??= readHead(file.handle.fd, HEAD_BYTES);
    this.#seen.push({ dev: String(file.dev), ino: String(file.ino), head, size });
    if (this.#seen.length > SEEN_FILES) this.#seen.shift();
  }

  /**
   * The files written after the last one finished, oldest first, opened
   * together; [] when the log has no file right now. When none of the files
   * is one already read (retention deleted them, or the log was deleted and
   * recreated), every file there is newer and is read.
   */
  async #successors(): Promise<TrackedFile[]> {
    let files: OpenLogFile[];
    try {
      files = await openLogFiles(this.#path, true);
    } catch (error) {
      if (error instanceof LogNotFoundError) return [];
      throw error;
    }
    let index = -1;
    try {
      for (let i = files.length - 1; i >= 0 && index === -1; i--) {
        const fd = files[i]!.handle.fd;
        if (this.#seen.some((seen) => isSameFile(fd, seen, seen.size))) index = i;
      }
    } catch (error) {
      await closeAll(files);
      throw error;
    }
    await closeAll(files.slice(0, index + 1));
    return files.slice(index + 1).map((f) => this.#track(f));
  }

  #track(file: OpenLogFile, start: { readonly offset: number; readonly line: number } = { offset: 0, line: 0 }): TrackedFile {
    const { maxLineBytes } = this.#options;
    const lines = new FileLines(file.handle, {
      file: file.file,
      offset: start.offset,
      line: start.line,
      buffer: this.#buffer,
      ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
    });
    return { name: file.file, handle: file.handle, dev: file.dev, ino: file.ino, lines, identity: undefined, sealed: false, lookedSize: undefined };
  }

  async close(): Promise<void> {
    if (this.#closed) return this.#busy.then(() => undefined);
    this.#closed = true;
    const closing = this.#busy.then(async () => {
      const files = [...(this.#current === undefined ? [] : [this.#current]), ...this.#queue];
      this.#current = undefined;
      this.#queue = [];
      await Promise.allSettled(files.map((f) => f.handle.close()));
    });
    this.#busy = closing;
    await closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
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
 * Opens a cursor on the log at `path` (its rotated files `path.N` included).
 * `poll()` returns what is there now, never waiting; `caughtUp` says when the
 * next event has not been written yet. Close it (or `await using` it).
 * @throws {LogNotFoundError} (`ENOENT`) from "start" or "end" when no file of the log exists
 *   (from a checkpoint, a missing log is waited for).
 * @throws {InvalidCheckpointError} (`CHECKPOINT_INVALID`) when `from` is not a position.
 */
export async function openLogCursor(path: string, options: LogCursorOptions = {}): Promise<LogCursor> {
  const from = options.from ?? "start";
  if (from !== "start" && from !== "end" && !isCheckpoint(from)) throw new InvalidCheckpointError(from);
  const cursor = new FileCursor(path, options);
  try {
    await cursor.start(from);
  } catch (error) {
    await cursor.close();
    throw error;
  }
  return cursor;
}
