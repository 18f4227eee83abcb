// Streams one open file through a chunk parser in large reads into a reused
// buffer: the whole file is never in memory, only one chunk and one partial line.
import { Buffer } from "node:buffer";
import type { FileHandle } from "node:fs/promises";
import { ChunkParser, type ChunkParserOptions, type ParsedLine } from "./chunk-parser.js";

/** Bytes per read. Large reads amortize the per-call cost; the buffer is reused. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/** Yields the parsed lines of each chunk, then the end-of-file report (a torn tail). */
export async function* parseFileHandle(handle: FileHandle, options: ChunkParserOptions): AsyncGenerator<ParsedLine[]> {
  const parser = new ChunkParser(options);
  // A Buffer, so the query pre-filter can search it natively.
  const buffer = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
  let position = options.offset ?? 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    // A fresh view per chunk: the pre-filter caches search positions per chunk object.
    const items = parser.push(buffer.subarray(0, bytesRead));
    if (items.length > 0) yield items;
  }
  const tail = parser.end();
  if (tail.length > 0) yield tail;
}
