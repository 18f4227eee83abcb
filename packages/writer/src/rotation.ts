// Size-based rotation by renames only: path -> path.1 -> path.2 ... A
// rename never copies or truncates, so a process still holding the old file
// open keeps appending to it under its new name and nothing is lost; only
// the file shifted past `maxBackups` is dropped.
import { unlinkSync } from "node:fs";
import { lstat, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { osCodeOf, WriterError, wrapOsError } from "./errors.js";
import { fsyncDirectory } from "./directory-sync.js";
import { withRotationLock } from "./rotation-lock.js";
import { lstatRegularOrMissing, unsafeFileError } from "./safe-open.js";

/**
 * The rotated files of `path`, newest first: `path.1`, `path.2` ..
 * `path.<maxBackups>`. Whether each exists is not checked. Read them in
 * reverse, then `path`, to see events oldest first.
 */
export function rotatedPaths(path: string, maxBackups: number): string[] {
  if (!Number.isSafeInteger(maxBackups) || maxBackups < 0) {
    throw new WriterError("INVALID_OPTION", `rotatedPaths: maxBackups must be an integer >= 0, got ${String(maxBackups)}`);
  }
  return Array.from({ length: maxBackups }, (_, i) => `${path}.${i + 1}`);
}

/**
 * Shifts the files one place: `path.(k)` -> `path.(k+1)` ... `path` ->
 * `path.1`, where `path.1` .. `path.k` is the run of backups that exist:
 * a missing `path.(k+1)` is a free slot, so nothing beyond it needs to move
 * and the cost is the files that exist, not `maxBackups`. When the run is
 * `maxBackups` long, `path.(N-1)` -> `path.N` replaces the oldest, which is
 * how retention deletes. Oldest first, so a crash between two renames leaves
 * a gap (the next rotation stops at it), never an overwritten file.
 * Every name is checked with lstat before anything moves: a symlink (ELOOP),
 * FIFO, socket, device or directory (NOT_REGULAR_FILE) refuses the rotation
 * and nothing is renamed. Each lstat and rename runs on the thread pool: a
 * rename can wait on the file system's journal for milliseconds, and a
 * rotation of thousands of files must not hold the event loop meanwhile.
 * The caller holds the rotation lock and fsyncs the directory afterwards.
 */
export async function shiftFiles(path: string, maxBackups: number): Promise<void> {
  if (lstatRegularOrMissing(path, "the log") === undefined) return;
  if (maxBackups === 0) {
    try {
      unlinkSync(path);
    } catch (error) {
      if (osCodeOf(error) !== "ENOENT") throw wrapOsError(error, "removing", path);
    }
    return;
  }
  let existing = 0;
  while (existing < maxBackups && (await isRotatedFile(`${path}.${existing + 1}`))) existing++;
  for (let n = Math.min(existing, maxBackups - 1); n >= 1; n--) await shift(`${path}.${n}`, `${path}.${n + 1}`);
  await shift(path, `${path}.1`);
}

/** True when a regular file is at `path`, false when nothing is; refuses anything else. */
async function isRotatedFile(path: string): Promise<boolean> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if (osCodeOf(error) === "ENOENT") return false;
    throw wrapOsError(error, "inspecting the rotated file", path);
  }
  const refusal = unsafeFileError(path, stats, "the rotated file");
  if (refusal !== undefined) throw refusal;
  return true;
}

async function shift(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    // Gone since we looked: another process rotated past us; its gap is harmless.
    if (osCodeOf(error) !== "ENOENT") throw wrapOsError(error, `rotating to ${to}:`, from);
  }
}

export interface RotateFilesOptions {
  readonly path: string;
  /** Rotated files kept, as in `WriterOptions.maxBackups`. Default 1. */
  readonly maxBackups?: number;
}

/**
 * Rotates `path` now, under the same cross-process lock the writers use, and
 * fsyncs the directory so the renames survive a crash. Open writers notice
 * the new inode before their next batch and start the new file themselves.
 */
export async function rotateFiles(options: RotateFilesOptions): Promise<void> {
  const maxBackups = options.maxBackups ?? 1;
  if (!Number.isSafeInteger(maxBackups) || maxBackups < 1) {
    throw new WriterError("INVALID_OPTION", `rotateFiles: maxBackups must be an integer >= 1, got ${String(maxBackups)}`);
  }
  await withRotationLock(options.path, async () => {
    await shiftFiles(options.path, maxBackups);
    await fsyncDirectory(dirname(options.path));
  });
}
