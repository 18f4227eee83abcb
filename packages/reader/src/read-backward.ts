// Reads one file from its end towards its start, one line at a time, so the
// newest N events come back after reading only as much of the log as holds them.
import { Buffer } from "node:buffer";
import type { FileHandle } from "node:fs/promises";
import type { InvalidLine } from "./invalid-line.js";
import type { TelemetryEvent } from "@telemetry/schema";
import { hasBom, isBlank } from "./chunk-parser.js";
import { excerptOf, LineProblem, parseLine } from "./parse-line.js";

const NEWLINE = 0x0a;

export interface BackwardOptions {
  readonly file: string;
  readonly maxLineBytes: number;
  readonly chunkBytes: number;
  readonly prefilter: ((bytes: Uint8Array, start: number, end: number) => boolean) | undefined;
}

/** A line read backwards: its parse result, or a report whose `line` number is filled in on demand. */
export type BackwardItem =
  | { readonly type: "event"; readonly event: TelemetryEvent }
  | { readonly type: "invalid"; readonly issue: () => Promise<InvalidLine> };

/** Counts the lines before byte `offset`: the 1-based number of the line starting there. */
async function lineNumberAt(handle: FileHandle, offset: number, chunkBytes: number): Promise<number> {
  const buffer = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(offset, 1)));
  let lines = 1;
  for (let position = 0; position < offset; ) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, offset - position), position);
    if (bytesRead === 0) break;
    for (let i = buffer.indexOf(NEWLINE, 0); i !== -1 && i < bytesRead; i = buffer.indexOf(NEWLINE, i + 1)) lines++;
    position += bytesRead;
  }
  return lines;
}


/** Yields the file's lines newest first; `size` is the length to read (the file may be growing). */
export async function* readLinesBackward(handle: FileHandle, size: number, options: BackwardOptions): AsyncGenerator<BackwardItem> {
  const { file, maxLineBytes, chunkBytes } = options;
  const report = (offset: number, kind: InvalidLine["kind"], reason: string, excerpt: string): BackwardItem => ({
    type: "invalid",
    issue: async () => ({ file, line: await lineNumberAt(handle, offset, chunkBytes), offset, reason, excerpt, kind }),
  });
  const block = Buffer.allocUnsafe(chunkBytes);
  /** Bytes [position, lineEnd) of a line whose start lies before `position`. */
  let carry: Buffer = Buffer.alloc(0);
  let lineEnd = size;
  /** Whether the line ending at lineEnd has its newline (only the file's last one may not). */
  let terminated = false;
  /** Set while passing over an overlong line (carry dropped). */
  let overlong = false;
  let position = size;

  const emit = (bytes: Buffer, start: number, end: number, offset: number): BackwardItem | undefined => {
    const length = end - start;
    if (!terminated) {
      terminated = true;
      const bodyStart = offset === 0 && hasBom(bytes, start, end) ? start + 3 : start;
      const body = bytes.subarray(bodyStart, end);
      if (isBlank(body, 0, body.length)) return undefined;
      return report(offset, "torn", `torn last line: ${length} byte(s) with no newline at the end of the input (an interrupted write)`, excerptOf(body, 0, body.length));
    }
    if (length > maxLineBytes) {
      return report(offset, "too_long", `line of ${length} bytes exceeds maxLineBytes (${maxLineBytes})`, excerptOf(bytes, start, Math.min(end, start + 1024)));
    }
    if (offset === 0 && hasBom(bytes, start, end)) start += 3;
    if (options.prefilter !== undefined && !options.prefilter(bytes, start, end)) return undefined;
    const result = parseLine(bytes, start, end);
    if (result === null) return undefined;
    if (result instanceof LineProblem) return report(offset, result.kind, result.reason, result.excerpt);
    return { type: "event", event: result };
  };

  // The file's last bytes form a line without newline unless the file ends in one.
  if (size === 0) return;
  {
    const last = Buffer.allocUnsafe(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] === NEWLINE) {
      terminated = true;
      lineEnd = size - 1;
      position = size - 1;
    }
  }

  while (position > 0) {
    const readStart = Math.max(0, position - chunkBytes);
    const wanted = position - readStart;
    let got = 0;
    while (got < wanted) {
      const { bytesRead } = await handle.read(block, got, wanted - got, readStart + got);
      if (bytesRead === 0) throw new Error(`${file} shrank while being read backwards`);
      got += bytesRead;
    }
    const combined = overlong || carry.length === 0 ? block.subarray(0, wanted) : Buffer.concat([block.subarray(0, wanted), carry]);
    let segmentEnd = combined.length;
    let newline = combined.lastIndexOf(NEWLINE, wanted - 1);
    while (newline !== -1) {
      if (overlong) {
        const start = readStart + newline + 1;
        const head = Buffer.allocUnsafe(Math.min(1024, lineEnd - start));
        await handle.read(head, 0, head.length, start);
        terminated = true;
        yield report(start, "too_long", `line of ${lineEnd - start} bytes exceeds maxLineBytes (${maxLineBytes})`, excerptOf(head, 0, head.length));
        overlong = false;
        segmentEnd = newline;
      } else {
        const item = emit(combined, newline + 1, segmentEnd, readStart + newline + 1);
        if (item !== undefined) yield item;
        segmentEnd = newline;
      }
      lineEnd = readStart + newline;
      newline = newline === 0 ? -1 : combined.lastIndexOf(NEWLINE, newline - 1);
    }
    position = readStart;
    if (overlong) continue;
    if (segmentEnd > maxLineBytes) {
      // Too long to hold: pass over it and read its head once its start is found.
      overlong = true;
      carry = Buffer.alloc(0);
      continue;
    }
    carry = Buffer.from(combined.subarray(0, segmentEnd));
  }
  if (overlong) {
    const head = Buffer.allocUnsafe(Math.min(1024, lineEnd));
    await handle.read(head, 0, head.length, 0);
    terminated = true;
    yield report(0, "too_long", `line of ${lineEnd} bytes exceeds maxLineBytes (${maxLineBytes})`, excerptOf(head, 0, head.length));
  } else if (carry.length > 0 || !terminated) {
    const item = emit(carry, 0, carry.length, 0);
    if (item !== undefined) yield item;
  }
}
