// The resumable JSONL parser every reader is built on: bytes in, in any chunk
// sizes; events and invalid-line reports out, each with its file position.
// Browser-safe (no Node built-ins), so a page streaming JSONL over HTTP can use it.
import type { TelemetryEvent } from "@telemetry/schema";
import type { InvalidLine } from "./invalid-line.js";
import { BLANK, excerptOf, parseLine } from "./parse-line.js";

/** Default {@link ChunkParserOptions.maxLineBytes}: 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
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
  readonly prefilter?: (bytes: Uint8Array, start: number, end: number) => boolean;
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
  readonly #prefilter: ((bytes: Uint8Array, start: number, end: number) => boolean) | undefined;
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

  constructor(options: ChunkParserOptions = {}) {
    this.#file = options.file ?? "<input>";
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.#offset = options.offset ?? 0;
    this.#line = options.line ?? 0;
    this.#prefilter = options.prefilter;
    if (!(this.#maxLineBytes >= 1)) throw new RangeError(`maxLineBytes must be >= 1, received ${this.#maxLineBytes}`);
  }

  /** Lines completed so far (blank and invalid ones included). */
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

  /** Parses every line completed by `chunk`; keeps (a copy of) the incomplete rest. */
  push(chunk: Uint8Array): ParsedLine[] {
    if (this.#ended) throw new Error("ChunkParser.push called after end()");
    const out: ParsedLine[] = [];
    let start = 0;
    const length = chunk.length;
    if (this.#skipped >= 0 || this.#carryLength > 0) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline === -1) {
        this.#holdIncomplete(chunk, 0, length);
        return out;
      }
      if (this.#skipped >= 0) {
        this.#reportOverlong(this.#skipped + newline, this.#skippedHead, 0, this.#skippedHead.length, out, false);
      } else if (this.#carryLength + newline > this.#maxLineBytes) {
        this.#reportOverlong(this.#carryLength + newline, this.#carry, 0, Math.min(this.#carryLength, HEAD_BYTES), out, false);
      } else {
        const line = new Uint8Array(this.#carryLength + newline);
        line.set(this.#carry.subarray(0, this.#carryLength), 0);
        line.set(chunk.subarray(0, newline), this.#carryLength);
        this.#completeLine(line, 0, line.length, out);
      }
      this.#advance(this.pendingBytes + newline + 1);
      this.#carryLength = 0;
      this.#skipped = -1;
      this.#skippedHead = new Uint8Array(0);
      start = newline + 1;
    }
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) break;
      if (newline - start > this.#maxLineBytes) {
        this.#reportOverlong(newline - start, chunk, start, Math.min(newline, start + HEAD_BYTES), out, false);
      } else {
        this.#completeLine(chunk, start, newline, out);
      }
      this.#advance(newline + 1 - start);
      start = newline + 1;
    }
    if (start < length) this.#holdIncomplete(chunk, start, length);
    return out;
  }

  /** Signals the end of input: reports an unterminated last line as torn. */
  end(): ParsedLine[] {
    if (this.#ended) return [];
    this.#ended = true;
    const out: ParsedLine[] = [];
    if (this.#skipped >= 0) {
      this.#reportOverlong(this.#skipped, this.#skippedHead, 0, this.#skippedHead.length, out, true);
      this.#advance(this.#skipped);
      this.#skipped = -1;
    } else if (this.#carryLength > 0) {
      const carry = this.#carry.subarray(0, this.#carryLength);
      const bodyStart = this.#offset === 0 && hasBom(carry, 0, carry.length) ? 3 : 0;
      // Whitespace left after the last newline (e.g. a lone "\r") is not an event being written.
      if (!isBlank(carry, bodyStart, carry.length)) {
        out.push(this.#invalid(
          "torn",
          `torn last line: ${carry.length} byte(s) with no newline at the end of the input (an interrupted write)`,
          excerptOf(carry, bodyStart, carry.length),
        ));
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

  #completeLine(bytes: Uint8Array, start: number, end: number, out: ParsedLine[]): void {
    const rawLength = end - start;
    if (this.#offset === 0 && hasBom(bytes, start, end)) start += 3;
    if (this.#prefilter !== undefined && !this.#prefilter(bytes, start, end)) return;
    const result = parseLine(bytes, start, end);
    if (result === BLANK) return;
    if (result.ok) {
      out.push({ type: "event", event: result.event, line: this.#line + 1, offset: this.#offset, end: this.#offset + rawLength + 1 });
    } else {
      out.push(this.#invalid(result.kind, result.reason, result.excerpt));
    }
  }

  #reportOverlong(lineBytes: number, head: Uint8Array, start: number, end: number, out: ParsedLine[], unterminated: boolean): void {
    const tail = unterminated ? " and no newline at the end of the input" : "";
    out.push(this.#invalid("too_long", `line of ${lineBytes} bytes exceeds maxLineBytes (${this.#maxLineBytes})${tail}`, excerptOf(head, start, end)));
  }

  #invalid(kind: InvalidLine["kind"], reason: string, excerpt: string): ParsedLine {
    return { type: "invalid", issue: { file: this.#file, line: this.#line + 1, offset: this.#offset, reason, excerpt, kind } };
  }
}

function hasBom(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf;
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}
