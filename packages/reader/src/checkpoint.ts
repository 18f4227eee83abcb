// Where a follower is in a log, in a form that survives a restart and a
// rotation: which file (by identity, not name) and how far into it.
import { Buffer } from "node:buffer";
import type { FileHandle } from "node:fs/promises";

/** Bytes from the start of a file kept in a checkpoint to tell it from a later file that reuses its inode. */
export const HEAD_BYTES = 256;

/** A file, independent of its current name. */
export interface FileIdentity {
  /** Device and inode numbers (decimal strings: inodes may exceed 2^53). */
  readonly dev: string;
  readonly ino: string;
  /** Base64 of the file's first bytes (up to 256, all within complete lines): inode numbers get reused. */
  readonly head: string;
}

/** JSON-serializable position after a yielded event: resume with `followEvents(path, { from: checkpoint })`. */
export interface Checkpoint {
  readonly file: FileIdentity;
  /** Byte offset just past the event's line. */
  readonly offset: number;
  /** Lines before `offset` (for line numbers in later reports). */
  readonly line: number;
}

export async function readHead(handle: FileHandle, length: number): Promise<string> {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buffer, got, length - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buffer.subarray(0, got).toString("base64");
}

/** Whether an open file is the one a checkpoint names and still holds its offset. */
export async function isCheckpointFile(handle: FileHandle, checkpoint: Checkpoint): Promise<boolean> {
  const stats = await handle.stat({ bigint: true });
  if (String(stats.dev) !== checkpoint.file.dev || String(stats.ino) !== checkpoint.file.ino) return false;
  if (stats.size < BigInt(checkpoint.offset)) return false;
  const expected = Buffer.from(checkpoint.file.head, "base64");
  return (await readHead(handle, expected.length)) === checkpoint.file.head;
}

/** Accepts only the shape followEvents writes; a hand-edited checkpoint fails loudly. */
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
