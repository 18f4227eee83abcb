// Streams one open file through a chunk parser in large reads into a reused
// buffer: the whole file is never in memory, only one chunk and one partial line.
import { Buffer } from "node:buffer";
import type { FileHandle } from "node:fs/promises";
import type { ChunkParser } from "./chunk-parser.js";

/** Bytes per read: large reads amortize the per-call cost (the parser decodes in smaller windows). */
export const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Reads `handle` from `position` to its end, feeding each chunk to `parser`
 * and yielding once per chunk: the caller takes that chunk's lines with
 * `parser.next()` before resuming, then calls `parser.end()` at the end.
 */
export async function* feedFile(handle: FileHandle, parser: ChunkParser, position = 0): AsyncGenerator<void, void, undefined> {
  // A Buffer, so the query pre-filter can search it natively.
  const buffer = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    // A fresh view per chunk: the pre-filter caches search positions per chunk object.
    parser.feed(buffer.subarray(0, bytesRead));
    yield;
  }
}
