// A checkpoint small enough to send with every event: the file's head bytes
// (up to 1 KiB, as base64) replaced by their length and SHA-256. The shipper
// puts one on every NATS message and the server one in every SSE `id:`; with
// the full head those were larger than the events they came with. Expanding
// reads the head back from the log file with that device and inode and
// checks it against the digest, so the cursor resumes from an ordinary
// checkpoint by the one rule it always uses.
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { isCheckpoint, type Checkpoint, type FileIdentity } from "./checkpoint.js";
import { listLogFiles } from "./log-files.js";

/** `{ file: { dev, ino, head_bytes, head_sha256 }, offset, line }`: JSON-serializable, stable like `Checkpoint`. */
export interface CompactCheckpoint {
  readonly file: { readonly dev: string; readonly ino: string; readonly head_bytes: number; readonly head_sha256: string };
  readonly offset: number;
  readonly line: number;
}

/** Every checkpoint of one file shares its identity object: one digest, and one JSON prefix, per file. */
const compactFiles = new WeakMap<FileIdentity, { file: CompactCheckpoint["file"]; prefix: string }>();

function compactFileOf(identity: FileIdentity): { file: CompactCheckpoint["file"]; prefix: string } {
  let compact = compactFiles.get(identity);
  if (compact === undefined) {
    const head = Buffer.from(identity.head, "base64");
    const file = { dev: identity.dev, ino: identity.ino, head_bytes: head.length, head_sha256: createHash("sha256").update(head).digest("base64") };
    compact = { file, prefix: `{"file":${JSON.stringify(file)},"offset":` };
    compactFiles.set(identity, compact);
  }
  return compact;
}

export function compactCheckpoint(checkpoint: Checkpoint): CompactCheckpoint {
  return { file: compactFileOf(checkpoint.file).file, offset: checkpoint.offset, line: checkpoint.line };
}

/** `JSON.stringify(compactCheckpoint(checkpoint))`, without a JSON.stringify per event. */
export function compactCheckpointJson(checkpoint: Checkpoint): string {
  return `${compactFileOf(checkpoint.file).prefix}${checkpoint.offset},"line":${checkpoint.line}}`;
}

export function isCompactCheckpoint(value: unknown): value is CompactCheckpoint {
  const v = value as CompactCheckpoint | null;
  return (
    typeof v === "object" && v !== null && Number.isSafeInteger(v.offset) && v.offset >= 0 && Number.isSafeInteger(v.line) && v.line >= 0 &&
    typeof v.file === "object" && v.file !== null && typeof v.file.dev === "string" && typeof v.file.ino === "string" &&
    Number.isSafeInteger(v.file.head_bytes) && v.file.head_bytes >= 0 && typeof v.file.head_sha256 === "string"
  );
}

/** The head bytes of the file of `path`'s log with this identity, when its first `head_bytes` bytes have this digest. */
async function findHead(path: string, file: CompactCheckpoint["file"]): Promise<string | undefined> {
  for (const name of await listLogFiles(path)) {
    // No symlink is followed: the log's own files only, as the cursor opens them.
    const handle = await open(name, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
    if (handle === undefined) continue;
    try {
      const stats = await handle.stat({ bigint: true });
      if (!stats.isFile() || String(stats.dev) !== file.dev || String(stats.ino) !== file.ino) continue;
      const head = Buffer.alloc(file.head_bytes);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      if (bytesRead !== head.length) return undefined;
      return createHash("sha256").update(head).digest("base64") === file.head_sha256 ? head.toString("base64") : undefined;
    } finally {
      await handle.close();
    }
  }
  return undefined;
}

/**
 * The checkpoint of `path`'s log that `value` stands for: a compact
 * checkpoint expanded, a full one returned as it is, anything else
 * `undefined`. When no file of the log has the compact checkpoint's identity
 * any more (rotated out of retention, or a reused inode with other bytes),
 * the head becomes the digest's own bytes, which no log file starts with: the
 * cursor then reports the file as gone, exactly as for a full checkpoint
 * whose file is gone.
 */
export async function expandCheckpoint(path: string, value: unknown): Promise<Checkpoint | undefined> {
  if (isCheckpoint(value)) return value;
  if (!isCompactCheckpoint(value)) return undefined;
  const { file } = value;
  const head = file.head_bytes === 0 ? "" : ((await findHead(path, file)) ?? Buffer.from(file.head_sha256, "base64").toString("base64"));
  return { file: { dev: file.dev, ino: file.ino, head }, offset: value.offset, line: value.line };
}
