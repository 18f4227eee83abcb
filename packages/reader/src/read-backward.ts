// Reads one file from its end towards its start, so the newest N events come
// back after reading only as much of the log as holds them. The file is cut
// into regions of whole lines, last region first; each region is parsed
// forward by the one file-into-parser loop (FileLines), so every rule about
// lines (torn, overlong, BOM, CRLF) is the forward reader's.
import { Buffer } from "node:buffer";
import type { FileHandle } from "node:fs/promises";
import type { TelemetryEvent } from "@telemetry/schema";
import type { InvalidLine } from "./invalid-line.js";
import type { LinePrefilter } from "./chunk-parser.js";
import { FileLines, LineCounter, READ_CHUNK_BYTES } from "./read-file.js";

const NEWLINE = 0x0a;
/** The first region is small, so `limit: 100` parses little; later ones grow to a full chunk. */
const FIRST_REGION_BYTES = 64 * 1024;
/** Bytes read to find the first line boundary of a region (a line longer than this makes the region start earlier). */
const PROBE_BYTES = 64 * 1024;

export interface BackwardOptions {
  readonly file: string;
  readonly maxLineBytes: number;
  readonly prefilter: LinePrefilter | undefined;
}

/** A line read backwards: its event, or a report whose `line` number is counted only if asked for. */
export type BackwardItem =
  | { readonly type: "event"; readonly event: TelemetryEvent }
  | { readonly type: "invalid"; readonly issue: () => Promise<InvalidLine> };

/** Reads [position, position + length) fully (the file only grows). */
async function readAt(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<Buffer> {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buffer, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buffer.subarray(0, got);
}

/** Where the last line that ends at or before `end` begins, looking back from `end`, at most `span` bytes first. */
async function regionStart(handle: FileHandle, buffer: Buffer, end: number, span: number): Promise<number> {
  let start = Math.max(0, end - span);
  if (start === 0) return 0;
  // The first line boundary after `start`, if one lies before `end`.
  const probe = await readAt(handle, buffer, Math.min(PROBE_BYTES, end - start), start);
  const newline = probe.indexOf(NEWLINE);
  if (newline !== -1 && start + newline + 1 < end) return start + newline + 1;
  // One line longer than the span: find where it starts.
  for (let position = start; position > 0; ) {
    start = Math.max(0, position - buffer.length);
    const block = await readAt(handle, buffer, position - start, start);
    const last = block.lastIndexOf(NEWLINE);
    if (last !== -1) return start + last + 1;
    position = start;
  }
  return 0;
}

/** Yields the file's lines newest first; `size` is the length to read (the file may be growing). */
export async function* readLinesBackward(handle: FileHandle, size: number, options: BackwardOptions): AsyncGenerator<BackwardItem> {
  // Sized to the file: small files (most queries in tests, many in life) need no megabyte buffers.
  const probe = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, Math.max(size, 1)));
  const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, Math.max(size, 1)));
  let span = FIRST_REGION_BYTES;
  const counter = new LineCounter(handle);
  for (let end = size; end > 0; ) {
    const start = await regionStart(handle, probe, end, span);
    span = Math.min(span * 2, READ_CHUNK_BYTES);
    const lines = new FileLines(handle, {
      file: options.file,
      offset: start,
      end,
      buffer,
      maxLineBytes: options.maxLineBytes,
      // Line numbers are counted from the file's start, and only for a line that is reported.
      countSkippedLines: false,
      ...(options.prefilter === undefined ? {} : { prefilter: options.prefilter }),
    });
    const items: BackwardItem[] = [];
    const add = (item: ReturnType<FileLines["next"]>): void => {
      if (item === undefined) return;
      if (item.type === "event") {
        items.push({ type: "event", event: item.event });
        return;
      }
      const issue = item.issue;
      items.push({ type: "invalid", issue: async () => ({ ...issue, line: (await counter.linesBefore(issue.offset)) + 1 }) });
    };
    for (;;) {
      for (let item = lines.next(); item !== undefined; item = lines.next()) add(item);
      if (!(await lines.read())) break;
    }
    // Only the file's last region can end without a newline: its torn tail.
    for (const item of lines.end()) add(item);
    for (let i = items.length - 1; i >= 0; i--) yield items[i]!;
    end = start;
  }
}
