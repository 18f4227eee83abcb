// The one loop that streams a file into a chunk parser: large reads into a
// reused buffer, so the whole file is never in memory, only one chunk and one
// partial line. Every reader (readEvents, queryEvents in both orders, the log
// cursor) reads files through this class.
import { Buffer } from "node:buffer";
import { readSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { ChunkParser, type LinePrefilter, type ParsedLine } from "./chunk-parser.js";
import type { InvalidLine } from "./invalid-line.js";

const NEWLINE = 0x0a;

/** Bytes per read: large reads amortize the per-call cost (the parser decodes in smaller windows). */
export const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Appends this small are read synchronously: they are in the page cache, and
 * a synchronous read costs microseconds where a trip through libuv's thread
 * pool costs tens of them (a follower polls often and reads little each time).
 */
export const SYNC_READ_BYTES = 64 * 1024;

export interface FileLinesOptions {
  /** Name used in reports. */
  readonly file: string;
  /** Where to start: a byte offset at a line boundary, and the lines before it. Default 0, 0. */
  readonly offset?: number;
  readonly line?: number;
  /** Stop reading at this byte offset (exclusive). Default: the file's end at each read. */
  readonly end?: number;
  readonly maxLineBytes?: number;
  readonly prefilter?: LinePrefilter;
  /**
   * False: lines the pre-filter skips are not counted as they go by (see
   * ChunkParserOptions.countSkippedLines); call `exactIssue()` on a report
   * for its line number. Default true.
   */
  readonly countSkippedLines?: boolean;
  /** A buffer to read into, shared by the files of one reader. Default: one of {@link READ_CHUNK_BYTES}. */
  readonly buffer?: Buffer;
  /**
   * Start reading the next chunk (into a second buffer) as soon as one is
   * handed to the parser, so the thread pool copies it while the caller
   * parses this one. For one pass over a file that is not expected to grow
   * (readEvents, queryEvents): a read issued ahead may see less than a
   * later one would. Default false.
   */
  readonly readAhead?: boolean;
}

/**
 * One open file read forward through a {@link ChunkParser}. Take lines with
 * `next()` (synchronous, from what was read); when it returns undefined,
 * `read()` the next chunk; when that returns false the file (as it is now)
 * is exhausted: `end()` reports an unterminated last line as torn, for a file
 * that will not grow any more.
 */
export class FileLines {
  readonly handle: FileHandle;
  readonly #options: FileLinesOptions;
  #buffer: Buffer | undefined;
  #parser: ChunkParser;
  #position: number;
  #lineCounter: LineCounter | undefined;
  /** With readAhead: the read in flight into #spare, at #position. */
  #ahead: Promise<number> | undefined;
  #spare: Buffer | undefined;

  constructor(handle: FileHandle, options: FileLinesOptions) {
    this.handle = handle;
    this.#options = options;
    this.#buffer = options.buffer;
    this.#position = options.offset ?? 0;
    this.#parser = this.#newParser(this.#position, options.line ?? 0);
  }

  #newParser(offset: number, line: number): ChunkParser {
    const { file, maxLineBytes, prefilter, countSkippedLines } = this.#options;
    return new ChunkParser({
      file,
      offset,
      line,
      ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
      ...(prefilter === undefined ? {} : { prefilter }),
      ...(countSkippedLines === undefined ? {} : { countSkippedLines }),
    });
  }

  /** Bytes handed to the parser so far (the next read starts here). */
  get position(): number {
    return this.#position;
  }

  /** Just past the last line taken: a safe place to resume. */
  get offset(): number {
    return this.#parser.offset;
  }

  /** Lines taken so far (blank and invalid ones included). */
  get line(): number {
    return this.#parser.line;
  }

  /** The next line from the chunks read so far, or undefined: then call `read()`. */
  next(): ParsedLine | undefined {
    return this.#parser.next();
  }

  /**
   * Reads the next chunk into the parser. `size`, when the caller has just
   * looked, lets an append of at most `syncBytes` be read synchronously.
   * @returns false when there is nothing more to read now.
   */
  async read(size?: number, syncBytes = SYNC_READ_BYTES): Promise<boolean> {
    if (this.#options.readAhead === true && size === undefined) return this.#readAhead();
    const limit = this.#options.end ?? Infinity;
    if (this.#position >= limit) return false;
    this.#buffer ??= Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
    const length = Math.min(this.#buffer.length, limit - this.#position);
    const bytesRead =
      size !== undefined && size - this.#position <= syncBytes
        ? readSync(this.handle.fd, this.#buffer, 0, Math.min(length, Math.max(size - this.#position, 0)), this.#position)
        : (await this.handle.read(this.#buffer, 0, length, this.#position)).bytesRead;
    if (bytesRead === 0) return false;
    this.#position += bytesRead;
    // A fresh view per chunk: the pre-filter caches search positions per chunk object.
    this.#parser.feed(this.#buffer.subarray(0, bytesRead));
    return true;
  }

  /**
   * Two buffers in turn: the chunk read ahead is handed to the parser and the
   * next read starts at once into the other buffer, whose chunk the parser
   * has finished with (read() is only called once next() returned undefined,
   * and the parser copies the unfinished line).
   */
  async #readAhead(): Promise<boolean> {
    this.#buffer ??= Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
    this.#spare ??= Buffer.allocUnsafeSlow(this.#buffer.length);
    const bytesRead = await (this.#ahead ?? this.#readInto(this.#spare));
    this.#ahead = undefined;
    if (bytesRead === 0) return false;
    const filled = this.#spare;
    this.#spare = this.#buffer;
    this.#buffer = filled;
    this.#position += bytesRead;
    this.#ahead = this.#readInto(this.#spare);
    // Awaited by the next read(); a caller that stops early never asks, and its failure then goes unseen.
    this.#ahead.catch(() => undefined);
    this.#parser.feed(filled.subarray(0, bytesRead));
    return true;
  }

  async #readInto(buffer: Buffer): Promise<number> {
    const limit = this.#options.end ?? Infinity;
    if (this.#position >= limit) return 0;
    // Through the FileHandle, which holds its close() back until this read is done.
    return (await this.handle.read(buffer, 0, Math.min(buffer.length, limit - this.#position), this.#position)).bytesRead;
  }

  /** The file is complete: the lines left, then an unterminated last line reported as torn. */
  end(): ParsedLine[] {
    return this.#parser.end();
  }

  /** The report with its line number counted from the file when lines went by uncounted. */
  async exactIssue(issue: InvalidLine): Promise<InvalidLine> {
    if (this.#options.countSkippedLines ?? true) return issue;
    this.#lineCounter ??= new LineCounter(this.handle);
    return { ...issue, line: (await this.#lineCounter.linesBefore(issue.offset)) + 1 };
  }

  /** Starts over at byte 0 (the file was truncated: what is there now was written after). */
  restart(): void {
    // A read still in flight writes into the spare buffer: leave both to it.
    this.#ahead = undefined;
    this.#spare = undefined;
    this.#position = 0;
    this.#parser = this.#newParser(0, 0);
  }
}

/**
 * Counts a file's lines before a byte offset, for reports whose line number
 * was not tracked while reading. Continues from the previous answer when
 * asked about a later offset, so reports in file order read the file once.
 */
export class LineCounter {
  readonly #handle: FileHandle;
  #offset = 0;
  #lines = 0;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  async linesBefore(offset: number): Promise<number> {
    if (offset < this.#offset) {
      this.#offset = 0;
      this.#lines = 0;
    }
    const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, Math.max(offset - this.#offset, 1)));
    while (this.#offset < offset) {
      const { bytesRead } = await this.#handle.read(buffer, 0, Math.min(buffer.length, offset - this.#offset), this.#offset);
      if (bytesRead === 0) break;
      for (let at = buffer.indexOf(NEWLINE); at !== -1 && at < bytesRead; at = buffer.indexOf(NEWLINE, at + 1)) this.#lines++;
      this.#offset += bytesRead;
    }
    return this.#lines;
  }
}
