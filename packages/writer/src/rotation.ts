// Size-based rotation by renames only: path -> path.1 -> path.2 ... A
// rename never copies or truncates, so a process still holding the old file
// open keeps appending to it under its new name and nothing is lost; only
// the file shifted past `maxBackups` is dropped.
import { renameSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import { osCodeOf, WriterError, wrapOsError } from "./errors.js";
import { fsyncDirectory } from "./directory-sync.js";
import { withRotationLock } from "./rotation-lock.js";

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

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    // A gap (a crash mid-rotation, or fewer backups so far) is not an error.
    if (osCodeOf(error) !== "ENOENT") throw wrapOsError(error, `rotating to ${to}:`, from);
  }
}

/**
 * Shifts the files one place: `path.(N-1)` -> `path.N` (replacing the oldest,
 * which is how retention deletes) ... `path` -> `path.1`. Oldest first, so a
 * crash between two renames leaves a gap, never an overwritten file.
 * The caller holds the rotation lock and fsyncs the directory afterwards.
 */
export function shiftFilesSync(path: string, maxBackups: number): void {
  if (maxBackups === 0) {
    try {
      unlinkSync(path);
    } catch (error) {
      if (osCodeOf(error) !== "ENOENT") throw wrapOsError(error, "removing", path);
    }
    return;
  }
  for (let n = maxBackups - 1; n >= 1; n--) renameIfExists(`${path}.${n}`, `${path}.${n + 1}`);
  renameIfExists(path, `${path}.1`);
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
    shiftFilesSync(options.path, maxBackups);
    await fsyncDirectory(dirname(options.path));
  });
}
