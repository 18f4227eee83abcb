// Where a follower is in a log, in a form that survives a restart and a
// rotation: which file (by identity, not name) and how far into it.
import { Buffer } from "node:buffer";
import { fstatSync, readSync } from "node:fs";

/**
 * Bytes from the start of a file kept in a checkpoint to tell it from a
 * later file that reuses its inode, or from what a truncation left. The head
 * ends at the end of the file's first event line, so it holds that event's
 * unique `event_id` unless the line is longer than this. (Before the log
 * cursor it was 256; matching compares as many bytes as a head holds, so
 * heads of either length keep working.)
 */
export const HEAD_BYTES = 1024;

/** A file, independent of its current name. */
export interface FileIdentity {
  /** Device and inode numbers (decimal strings: inodes may exceed 2^53). */
  readonly dev: string;
  readonly ino: string;
  /** Base64 of the file's first bytes, up to the end of its first event line (at most 1024): inode numbers get reused. */
  readonly head: string;
}

/**
 * JSON-serializable position after an event: resume with
 * `openLogCursor(path, { from: checkpoint })` (or `followEvents`). The format
 * is stable: `{ file: { dev, ino, head }, offset, line }` (see the README);
 * later versions only add optional fields, and checkpoints saved by any
 * earlier version keep working.
 */
export interface Checkpoint {
  readonly file: FileIdentity;
  /** Byte offset just past the event's line. */
  readonly offset: number;
  /** Lines before `offset` (for line numbers in later reports). */
  readonly line: number;
}

/** Base64 of the file's first `length` bytes (fewer if it is shorter). Synchronous: a few cached bytes. */
export function readHead(fd: number, length: number): string {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const bytesRead = readSync(fd, buffer, got, length - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buffer.subarray(0, got).toString("base64");
}

/**
 * The one rule that says whether an open file is still a file we knew: same
 * device and inode, at least `size` bytes (files only grow; smaller means
 * truncated), and, when the head is known, the same first bytes (an inode
 * number is reused by the next file created after a delete, and a file
 * truncated and rewritten keeps its inode but not its first bytes).
 */
export function isSameFile(fd: number, known: { readonly dev: string; readonly ino: string; readonly head?: string | undefined }, size: number): boolean {
  const stats = fstatSync(fd, { bigint: true });
  if (String(stats.dev) !== known.dev || String(stats.ino) !== known.ino) return false;
  if (stats.size < BigInt(size)) return false;
  if (known.head === undefined || known.head === "") return true;
  return readHead(fd, Buffer.from(known.head, "base64").length) === known.head;
}

/** Accepts only the shape a cursor writes (extra fields are ignored); a hand-edited checkpoint fails loudly. */
export function isCheckpoint(value: unknown): value is Checkpoint {
  if (typeof value !== "object" || value === null) return false;
  const c = value as Record<string, unknown>;
  const f = c.file as Record<string, unknown> | null | undefined;
  return (
    typeof f === "object" && f !== null &&
    typeof f.dev === "string" && typeof f.ino === "string" && typeof f.head === "string" &&
    Number.isSafeInteger(c.offset) && (c.offset as number) >= 0 &&
    Number.isSafeInteger(c.line) && (c.line as number) >= 0
  );
}
