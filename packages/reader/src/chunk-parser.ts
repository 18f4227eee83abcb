// The resumable JSONL parser every reader is built on: bytes in, in any chunk
// sizes; events and invalid-line reports out, each with its file position.
// Browser-safe (no Node built-ins), so a page streaming JSONL over HTTP can use it.
import type { TelemetryEvent } from "@telemetry/schema";
import type { InvalidLine } from "./invalid-line.js";
import { LineProblem, tooLongProblem, tornProblem } from "./line-problems.js";
import { decodeLine, parseLineText, strictDecoder, type LineResult } from "./parse-line.js";

/** Default {@link ChunkParserOptions.maxLineBytes}: 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
// Decoding in windows of this size is ~5x faster than 1 MiB at once in V8:
// larger strings are allocated in large-object space.
const DECODE_WINDOW_BYTES = 64 * 1024;
// Bytes of an overlong line kept for its excerpt; the rest is only counted.
const HEAD_BYTES = 1024;

export interface ChunkParserOptions {
  /** Name used in reports. Default `"<input>"`. */
  readonly file?: string;
  /** Longer lines (bytes before `\n`) are reported and skipped without being buffered whole. Default 1 MiB. */
  readonly maxLineBytes?: number;
  /** Byte offset of the first byte pushed, when resuming mid-file. Default 0 (a BOM is only stripped at offset 0). */
  readonly offset?: number;
  /** Lines before the first byte pushed, when resuming mid-file. Default 0. */
  readonly line?: number;
  /**
   * Called with each complete line's bytes (`[start, end)`, no `\n`) before it
   * is decoded; returning false skips the line without parsing or reporting
   * it. Torn and overlong lines are reported regardless. Used by queries to
   * skip lines that cannot match.
   */
  readonly prefilter?: LinePrefilter;
  /**
   * With a pre-filter that can name its next candidate (`candidateAt`),
   * whole runs of lines that cannot pass are skipped without looking at them
   * one by one. `false` also leaves them uncounted, so `line` numbers (of
   * events, of reports and the `line` getter) count only the lines looked
   * at: for a caller that recounts from the file when it reports a line
   * (queryEvents does). Default true: every line is counted.
   */
  readonly countSkippedLines?: boolean;
}

/** See {@link ChunkParserOptions.prefilter}. */
export interface LinePrefilter {
  (bytes: Uint8Array, start: number, end: number): boolean;
  /**
   * Optional: a position at or after `from` on the first line that may pass,
   * or -1 if no line from `from` to the end of `bytes` can. Every complete
   * line that ends before it is skipped unread.
   */
  readonly candidateAt?: (bytes: Uint8Array, from: number) => number;
}

/** One line's outcome, in file order. */
export type ParsedLine =
  | {
      readonly type: "event";
      readonly event: TelemetryEvent;
      /** 1-based line number. */
      readonly line: number;
      /** Byte offset of the line's first byte. */
      readonly offset: number;
      /** Byte offset just past the line's `\n`: where a resumed read starts. */
      readonly end: number;
      /** The line's text as stored, without its line ending (`\n` or `\r\n`) and without a BOM at the start of a file. */
      readonly text: string;
    }
  | { readonly type: "invalid"; readonly issue: InvalidLine };

/**
 * Push chunks with {@link ChunkParser.push}, then call {@link ChunkParser.end}
 * once the input is complete: only then is an unterminated last line reported
 * as torn (before that it may still be completed by the next chunk).
 */
export class ChunkParser {
  readonly #file: string;
  readonly #maxLineBytes: number;
  readonly #prefilter: LinePrefilter | undefined;
  readonly #candidateAt: ((bytes: Uint8Array, from: number) => number) | undefined;
  readonly #countSkippedLines: boolean;
  /** Lines completed so far. */
  #line: number;
  /** Byte offset of the first byte not yet part of a completed line. */
  #offset: number;
  /** Bytes of the incomplete line, copied (callers may reuse their chunk buffer). */
  #carry = new Uint8Array(0);
  #carryLength = 0;
  /** Set while discarding an overlong line: its byte count so far, else -1. */
  #skipped = -1;
  #skippedHead = new Uint8Array(0);
  #ended = false;
  /** The chunk being parsed, until next() has taken all its complete lines. */
  #chunk: Uint8Array | undefined;
  #pos = 0;
  #lastNewline = -1;
  /** Decoded text of the current window, and where in it (and in the chunk) the window starts. */
  #text: string | undefined;
  #textPos = 0;
  #windowStart = 0;
  #ascii = false;
  /** Lines up to this byte are decoded one by one (their window was not valid UTF-8). */
  #plainUntil = -1;

  constructor(options: ChunkParserOptions = {}) {
    this.#file = options.file ?? "<input>";
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.#offset = options.offset ?? 0;
    this.#line = options.line ?? 0;
    this.#prefilter = options.prefilter;
    this.#candidateAt = options.prefilter?.candidateAt;
    this.#countSkippedLines = options.countSkippedLines ?? true;
    if (!(this.#maxLineBytes >= 1)) throw new RangeError(`maxLineBytes must be >= 1, received ${this.#maxLineBytes}`);
  }

  /** Lines completed so far (blank and invalid ones included; see {@link ChunkParserOptions.countSkippedLines}). */
  get line(): number {
    return this.#line;
  }

  /** Byte offset just past the last completed line: a safe place to resume. */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes received after the last completed line (a line still being written). */
  get pendingBytes(): number {
    return this.#skipped >= 0 ? this.#skipped : this.#carryLength;
  }

  /**
   * Parses every line completed by `chunk` and returns them; keeps (a copy
   * of) the incomplete rest for the next chunk.
   */
  push(chunk: Uint8Array): ParsedLine[] {
    this.feed(chunk);
    const out: ParsedLine[] = [];
    for (let item = this.next(); item !== undefined; item = this.next()) out.push(item);
    return out;
  }

  /**
   * Lazy form of {@link ChunkParser.push}: hands the parser a chunk whose
   * lines {@link ChunkParser.next} then parses one at a time, so a consumer
   * that handles each event before taking the next keeps little alive. The
   * previous chunk must have been consumed (next() returned undefined).
   */
  feed(chunk: Uint8Array): void {
    if (this.#ended) throw new Error("ChunkParser: input given after end()");
    if (this.#chunk !== undefined) throw new Error("ChunkParser: feed() before the previous chunk was consumed with next()");
    this.#chunk = chunk;
    this.#pos = 0;
    this.#lastNewline = chunk.lastIndexOf(NEWLINE);
    this.#text = undefined;
    this.#plainUntil = -1;
  }

  /** The next line's outcome from the fed chunk, or undefined once it holds no more complete line. */
  next(): ParsedLine | undefined {
    for (;;) {
      const chunk = this.#chunk;
      if (chunk === undefined) return undefined;
      if (this.#text !== undefined) {
        const item = this.#nextDecoded(chunk, this.#text);
        if (item !== undefined) return item;
        continue;
      }
      const start = this.#pos;
      if (start > this.#lastNewline) {
        // No newline left: the rest is the start of a line still being written.
        if (start < chunk.length) this.#holdIncomplete(chunk, start, chunk.length);
        this.#chunk = undefined;
        return undefined;
      }
      if (start === 0 && (this.#skipped >= 0 || this.#carryLength > 0)) {
        const item = this.#completeCarried(chunk);
        if (item !== undefined) return item;
        continue;
      }
      if (this.#prefilter === undefined && start > this.#plainUntil && this.#decodeWindow(chunk, start)) continue;
      if (this.#candidateAt !== undefined && this.#skipUnwanted(chunk, start, this.#candidateAt)) continue;
      const newline = chunk.indexOf(NEWLINE, start);
      const item =
        newline - start > this.#maxLineBytes
          ? this.#overlong(newline - start, chunk, start, Math.min(newline, start + HEAD_BYTES), false)
          : this.#byteLine(chunk, start, newline);
      this.#advance(newline + 1 - start);
      this.#pos = newline + 1;
      if (item !== undefined) return item;
    }
  }

  /** The line begun in earlier chunks, completed by the first newline of this one. */
  #completeCarried(chunk: Uint8Array): ParsedLine | undefined {
    const newline = chunk.indexOf(NEWLINE);
    let item: ParsedLine | undefined;
    if (this.#skipped >= 0) {
      item = this.#overlong(this.#skipped + newline, this.#skippedHead, 0, this.#skippedHead.length, false);
    } else if (this.#carryLength + newline > this.#maxLineBytes) {
      item = this.#overlong(this.#carryLength + newline, this.#carry, 0, Math.min(this.#carryLength, HEAD_BYTES), false);
    } else {
      const line = new Uint8Array(this.#carryLength + newline);
      line.set(this.#carry.subarray(0, this.#carryLength), 0);
      line.set(chunk.subarray(0, newline), this.#carryLength);
      item = this.#byteLine(line, 0, line.length);
    }
    this.#advance(this.pendingBytes + newline + 1);
    this.#carryLength = 0;
    this.#skipped = -1;
    this.#skippedHead = new Uint8Array(0);
    this.#pos = newline + 1;
    return item;
  }

  /**
   * Skips the complete lines from `start` up to the line holding the
   * pre-filter's next candidate, without a call per line: with a selective
   * query nearly every line goes this way. False when there is nothing to skip.
   */
  #skipUnwanted(chunk: Uint8Array, start: number, candidateAt: (bytes: Uint8Array, from: number) => number): boolean {
    const candidate = candidateAt(chunk, start);
    let to = candidate === -1 || candidate > this.#lastNewline ? this.#lastNewline + 1 : chunk.lastIndexOf(NEWLINE, candidate) + 1;
    // A skipped line longer than maxLineBytes must still be reported: skip
    // at most that many bytes at once, so that none can be.
    if (to - start > this.#maxLineBytes) to = chunk.lastIndexOf(NEWLINE, start + this.#maxLineBytes - 1) + 1;
    if (to <= start) return false;
    let lines = 0;
    if (this.#countSkippedLines) for (let at = chunk.indexOf(NEWLINE, start); at !== -1 && at < to; at = chunk.indexOf(NEWLINE, at + 1)) lines++;
    this.#offset += to - start;
    this.#line += lines;
    this.#pos = to;
    return true;
  }

  /**
   * The fast path: decodes up to ~64 KiB of complete lines in one call (far
   * cheaper than a call per line). False when those bytes are not valid
   * UTF-8: their lines are then decoded one by one, so only the damaged ones
   * are reported.
   */
  #decodeWindow(chunk: Uint8Array, start: number): boolean {
    let end = this.#lastNewline;
    if (end - start > DECODE_WINDOW_BYTES) {
      end = chunk.lastIndexOf(NEWLINE, start + DECODE_WINDOW_BYTES);
      if (end < start) end = chunk.indexOf(NEWLINE, start + DECODE_WINDOW_BYTES);
    }
    try {
      this.#text = strictDecoder.decode(chunk.subarray(start, end + 1));
    } catch {
      this.#plainUntil = end;
      return false;
    }
    this.#textPos = 0;
    this.#windowStart = start;
    // As many characters as bytes means ASCII: byte and text offsets coincide.
    this.#ascii = this.#text.length === end + 1 - start;
    return true;
  }

  /** One line of the decoded window, walking text and byte newlines in step (0x0a is always "\n" and nothing else). */
  #nextDecoded(chunk: Uint8Array, text: string): ParsedLine | undefined {
    const textStart = this.#textPos;
    const textNewline = text.indexOf("\n", textStart);
    const byteStart = this.#pos;
    const byteNewline = this.#ascii ? this.#windowStart + textNewline : chunk.indexOf(NEWLINE, byteStart);
    const bytes = byteNewline - byteStart;
    let item: ParsedLine | undefined;
    if (bytes > this.#maxLineBytes) {
      item = this.#overlong(bytes, chunk, byteStart, Math.min(byteNewline, byteStart + HEAD_BYTES), false);
    } else {
      let textEnd = textNewline;
      if (textEnd > textStart && text.charCodeAt(textEnd - 1) === 0x0d) textEnd--;
      // A BOM decodes to U+FEFF; it is dropped at the start of the input only.
      const bom = this.#offset === 0 && text.charCodeAt(textStart) === 0xfeff ? 1 : 0;
      const line = text.slice(textStart + bom, textEnd);
      item = this.#item(parseLineText(line), bytes, line);
    }
    this.#advance(bytes + 1);
    this.#pos = byteNewline + 1;
    this.#textPos = textNewline + 1;
    if (this.#textPos >= text.length) this.#text = undefined;
    return item;
  }

  /** Signals the end of input: returns the fed chunk's remaining lines, then reports an unterminated last line as torn. */
  end(): ParsedLine[] {
    if (this.#ended) return [];
    const out: ParsedLine[] = [];
    for (let item = this.next(); item !== undefined; item = this.next()) out.push(item);
    this.#ended = true;
    if (this.#skipped >= 0) {
      out.push(this.#overlong(this.#skipped, this.#skippedHead, 0, this.#skippedHead.length, true));
      this.#advance(this.#skipped);
      this.#skipped = -1;
    } else if (this.#carryLength > 0) {
      const carry = this.#carry.subarray(0, this.#carryLength);
      const bodyStart = this.#offset === 0 && hasBom(carry, 0, carry.length) ? 3 : 0;
      // Whitespace left after the last newline (e.g. a lone "\r") is not an event being written.
      if (!isBlank(carry, bodyStart, carry.length)) {
        out.push(
          this.#problem(tornProblem(carry, bodyStart, carry.length, carry.length)),
        );
      }
      this.#advance(this.#carryLength);
      this.#carryLength = 0;
    }
    return out;
  }

  #advance(bytes: number): void {
    this.#offset += bytes;
    this.#line++;
  }

  #holdIncomplete(chunk: Uint8Array, start: number, end: number): void {
    const incoming = end - start;
    if (this.#skipped >= 0) {
      this.#skipped += incoming;
      return;
    }
    if (this.#carryLength + incoming > this.#maxLineBytes) {
      // Too long already: keep only a head for the excerpt and count the rest.
      const head = new Uint8Array(Math.min(HEAD_BYTES, this.#carryLength + incoming));
      head.set(this.#carry.subarray(0, Math.min(this.#carryLength, head.length)), 0);
      if (this.#carryLength < head.length) head.set(chunk.subarray(start, start + head.length - this.#carryLength), this.#carryLength);
      this.#skippedHead = head;
      this.#skipped = this.#carryLength + incoming;
      this.#carryLength = 0;
      this.#carry = new Uint8Array(0);
      return;
    }
    if (this.#carry.length < this.#carryLength + incoming) {
      const grown = new Uint8Array(Math.max(this.#carryLength + incoming, this.#carry.length * 2, 256));
      grown.set(this.#carry.subarray(0, this.#carryLength), 0);
      this.#carry = grown;
    }
    this.#carry.set(chunk.subarray(start, end), this.#carryLength);
    this.#carryLength += incoming;
  }

  /** A line decoded on its own (after a carry, behind a pre-filter, or in a window that is not valid UTF-8). */
  #byteLine(bytes: Uint8Array, start: number, end: number): ParsedLine | undefined {
    const rawLength = end - start;
    if (this.#offset === 0 && hasBom(bytes, start, end)) start += 3;
    if (this.#prefilter !== undefined && !this.#prefilter(bytes, start, end)) return undefined;
    const text = decodeLine(bytes, start, end);
    return this.#item(typeof text === "string" ? parseLineText(text) : text, rawLength, typeof text === "string" ? text : "");
  }

  /** A line's outcome; `rawLength` is its byte length without the newline. Call before advancing. */
  #item(result: LineResult, rawLength: number, text: string): ParsedLine | undefined {
    if (result === null) return undefined;
    if (result instanceof LineProblem) return this.#problem(result);
    return { type: "event", event: result, line: this.#line + 1, offset: this.#offset, end: this.#offset + rawLength + 1, text };
  }

  #overlong(lineBytes: number, head: Uint8Array, start: number, end: number, unterminated: boolean): ParsedLine {
    return this.#problem(tooLongProblem(lineBytes, this.#maxLineBytes, unterminated, head, start, end));
  }

  #problem({ kind, reason, excerpt }: LineProblem): ParsedLine {
    return { type: "invalid", issue: { file: this.#file, line: this.#line + 1, offset: this.#offset, reason, excerpt, kind } };
  }
}

/** A UTF-8 byte order mark at `start` (accepted at the start of a file only). */
export function hasBom(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf;
}

/** Only spaces, tabs and carriage returns: a line readers skip without a report. */
export function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}
